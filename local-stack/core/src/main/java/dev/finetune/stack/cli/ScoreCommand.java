package dev.finetune.stack.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.finetune.metrics.Bleu;
import dev.finetune.metrics.BleuScore;
import dev.finetune.metrics.ClassificationMetrics;
import dev.finetune.metrics.Rouge;
import dev.finetune.metrics.RougeScores;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Scores outputs made anywhere against references, with the metrics the evaluator uses; prints JSON. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Scores hypotheses against references, one text or label per line, and prints the scores "
                + "as JSON. Needs no running stack.",
                "bleu: corpus BLEU as sacreBLEU computes it (13a tokenization, exp smoothing), on a 0-100 scale. "
                        + "rouge: ROUGE-1/2/L precision, recall and F-measure as rouge-score computes them, 0-1 "
                        + "(--stem for Porter stemming). accuracy, f1: classification over the labels seen."})
class ScoreCommand implements Callable<Integer> {

    /** The metrics this command knows. */
    enum Metric { bleu, rouge, accuracy, f1 }

    @Option(names = "--metric", required = true, paramLabel = "METRIC",
            description = "One of: ${COMPLETION-CANDIDATES}.")
    Metric metric;

    @Option(names = "--hypotheses", required = true, paramLabel = "FILE",
            description = "The system's outputs, one per line.")
    Path hypotheses;

    @Option(names = "--references", required = true, paramLabel = "FILE",
            description = "References, one per line, parallel to the hypotheses; repeat for several reference "
                    + "sets (bleu, rouge).")
    List<Path> references;

    @Option(names = "--stem", description = "ROUGE with Porter stemming, as rouge-score's use_stemmer=True.")
    boolean stem;

    PrintStream out = System.out;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Override
    public Integer call() {
        List<String> hyps = readLines(hypotheses);
        List<List<String>> refs = new ArrayList<>();
        for (Path file : references) {
            List<String> lines = readLines(file);
            if (lines.size() != hyps.size()) {
                throw new IllegalArgumentException("--references " + file + " has " + lines.size()
                        + " lines but --hypotheses " + hypotheses + " has " + hyps.size());
            }
            refs.add(lines);
        }
        if ((metric == Metric.accuracy || metric == Metric.f1) && refs.size() != 1) {
            throw new IllegalArgumentException("--metric " + metric + " takes exactly one --references file");
        }
        if (stem && metric != Metric.rouge) {
            throw new IllegalArgumentException("--stem applies to --metric rouge only");
        }
        try {
            out.println(JSON.writeValueAsString(score(hyps, refs)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    private Map<String, Object> score(List<String> hyps, List<List<String>> refs) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("metric", metric.name());
        result.put("segments", hyps.size());
        switch (metric) {
            case bleu -> {
                BleuScore b = Bleu.corpus(hyps, refs);
                result.put("score", b.score());
                result.put("precisions", b.precisions());
                result.put("bp", b.bp());
                result.put("ratio", b.ratio());
                result.put("sysLen", b.sysLen());
                result.put("refLen", b.refLen());
                result.put("counts", b.counts());
                result.put("totals", b.totals());
            }
            case rouge -> {
                RougeScores r = (stem ? Rouge.withStemming() : Rouge.withoutStemming()).corpus(hyps, refs);
                result.put("stemming", stem);
                result.put("rouge1", r.rouge1());
                result.put("rouge2", r.rouge2());
                result.put("rougeL", r.rougeL());
            }
            case accuracy, f1 -> {
                List<String> labels = new ArrayList<>(new TreeSet<>(refs.get(0)));
                new TreeSet<>(hyps).stream().filter(l -> !labels.contains(l)).forEach(labels::add);
                ClassificationMetrics c = ClassificationMetrics.evaluate(hyps, refs.get(0), labels);
                result.put("accuracy", c.accuracy());
                if (metric == Metric.f1) {
                    result.put("macroF1", c.macroF1());
                    result.put("macroPrecision", c.macroPrecision());
                    result.put("macroRecall", c.macroRecall());
                    result.put("perClass", c.perClass());
                }
            }
        }
        return result;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " as UTF-8 text: " + e.getMessage());
        }
    }
}
