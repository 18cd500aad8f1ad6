#!/usr/bin/env bash
# Starts a new Cairn flush policy from this example: copies the project and renames the policy.
#
#   new-policy.sh NAME [TARGET_DIR]
#
# NAME becomes the policy's service property (cairn.policy=NAME), its Java package
# (org.example.flush.NAME), its class names (NameFlushPolicy, ...), its configuration PID, its
# bundle symbolic name and its artifactId (flush-NAME). TARGET_DIR defaults to ./flush-NAME and
# must not exist. The copy builds and passes its tests as it is (mvn -B package); then change
# NameFlushPolicy.plan and its tests, and the groupId and package prefix to your own.
set -euo pipefail

usage() {
    echo "usage: $0 NAME [TARGET_DIR]" >&2
    echo "  NAME: a lower-case letter followed by lower-case letters or digits, for example burst" >&2
    exit 2
}

(($# >= 1 && $# <= 2)) || usage
name=$1
target=${2:-flush-$name}

# The name is used as a Java package segment and, capitalised, as a class name prefix.
[[ $name =~ ^[a-z][a-z0-9]*$ ]] || usage
keywords=(abstract assert boolean break byte case catch char class const continue default do double else
    enum extends false final finally float for goto if implements import instanceof int interface long
    native new null package private protected public record return short static strictfp super switch
    synchronized this throw throws transient true try var void volatile while yield)
for keyword in "${keywords[@]}"; do
    if [[ $name == "$keyword" ]]; then
        echo "$0: $name is a Java keyword and cannot name a package" >&2
        exit 2
    fi
done
if [[ $name == steady ]]; then
    echo "$0: steady is the example's own name; choose another" >&2
    exit 2
fi
if [[ -e $target ]]; then
    echo "$0: $target exists already" >&2
    exit 1
fi

source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
Name=${name^}

# Only what a policy project consists of: not this script, the example's README or build output.
mkdir -p "$target"
cp "$source_dir/pom.xml" "$source_dir/bnd.bnd" "$target/"
cp -R "$source_dir/src" "$target/src"

# Every occurrence of the example's name is its identity (the example's prose avoids the word
# otherwise), so a plain substitution renames package, classes, PID, symbolic name and artifactId.
for tree in main test; do
    old="$target/src/$tree/java/org/example/flush/steady"
    new="$target/src/$tree/java/org/example/flush/$name"
    mv "$old" "$new"
    for file in "$new"/Steady*.java; do
        mv "$file" "$new/$Name${file##*/Steady}"
    done
done
find "$target" -type f \( -name '*.java' -o -name 'pom.xml' -o -name 'bnd.bnd' \) -print0 |
    xargs -0 sed -i -e "s/Steady/$Name/g" -e "s/steady/$name/g"

printf 'target/\n' > "$target/.gitignore"

echo "Created the flush policy '$name' in $target:"
echo "  cd $target && mvn -B package    # builds the bundle and runs its tests, Cairn's conformance kit among them"
echo "Then drop target/flush-$name-*.jar into <cairn home>/deploy and select it with"
echo "  flushPolicy.target=(cairn.policy=$name)   in <cairn home>/etc/io.cairn.engine.cfg"
