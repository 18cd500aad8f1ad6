package io.cairn.bench.flush;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run as stored in its CSV file: {@code # key=value} lines with the run's settings and totals,
 * then the header and one line per second. The settings travel with the data so that the compare
 * mode can label and check the runs it puts side by side without being told again.
 */
record RunRecord(Map<String, String> meta, List<SecondSample> samples) {

    RunRecord {
        meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        samples = List.copyOf(samples);
    }

    String policy() {
        return meta.getOrDefault("policy", "?");
    }

    long longMeta(String key) {
        String value = meta.get(key);
        if (value == null) {
            throw new IllegalArgumentException("run record has no '" + key + "'");
        }
        return Long.parseLong(value);
    }

    /** The measured seconds, without the warm-up. */
    List<SecondSample> measured() {
        return samples.stream().filter(s -> s.second() >= 0).toList();
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : meta.entrySet()) {
                out.write("# " + e.getKey() + "=" + e.getValue().replace('\n', ' '));
                out.newLine();
            }
            out.write(SecondSample.CSV_HEADER);
            out.newLine();
            for (SecondSample s : samples) {
                out.write(s.toCsv());
                out.newLine();
            }
        }
    }

    static RunRecord read(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        List<SecondSample> samples = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("# ")) {
                int eq = line.indexOf('=');
                if (eq > 2) {
                    meta.put(line.substring(2, eq), line.substring(eq + 1));
                }
            } else if (!line.isBlank() && !line.equals(SecondSample.CSV_HEADER)) {
                samples.add(SecondSample.parseCsv(line));
            }
        }
        return new RunRecord(meta, samples);
    }
}
