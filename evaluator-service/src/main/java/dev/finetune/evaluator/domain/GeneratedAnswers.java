package dev.finetune.evaluator.domain;

import dev.finetune.contracts.events.TaskType;
import dev.finetune.lm.generation.SamplingConfig;
import dev.finetune.lm.scoring.LanguageModel;
import dev.finetune.lm.text.ExampleFormat;
import dev.finetune.lm.text.TrainingExample;
import dev.finetune.lm.tokenizer.Tokenizer;
import dev.finetune.metrics.Bleu;
import dev.finetune.metrics.ExactMatch;
import dev.finetune.metrics.Repetition;
import dev.finetune.metrics.Rouge;
import dev.finetune.metrics.RougeScores;
import dev.finetune.metrics.UnsupportedContent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a model writes when it answers on its own (greedy, no reference in sight), scored against the references
 * and checked for signs of making things up:
 * <ul>
 *   <li>tasks with answers to write (instruction, generation, chat): corpus BLEU (sacreBLEU's), ROUGE-1/2/L
 *       F-measure (rouge-score's), exact match; {@code unsupportedRate} (the mean share of an answer's numbers,
 *       names and content words found nowhere in its prompt, see {@link UnsupportedContent}) and
 *       {@code unsupportedShare} (answers with any such item); {@code repetitionRate}, {@code emptyRate} and
 *       {@code truncatedRate} (answers cut at the token limit);</li>
 *   <li>classification: {@code outsideLabelsRate}, the share of free answers that are none of the labels.</li>
 * </ul>
 * At most {@code limit} test examples are generated for (generation is the slow part of an evaluation).
 */
final class GeneratedAnswers {

    /** Where a generated answer ends although the model did not stop: the next turn of a template. */
    private static final List<String> TURN_MARKERS = List.of("###", "\n\n", "<|im_start|>", "[INST]", "<|user|>");
    private static final int BATCH = 8;

    private GeneratedAnswers() {
    }

    record Result(Map<String, Double> metrics, List<EvaluationReport.Prediction> samples,
                  List<EvaluationReport.Unsupported> worstUnsupported) {
    }

    private record Answer(String prompt, String reference, String text, boolean truncated) {
    }

    static Result answers(LanguageModel model, List<TrainingExample> examples, TaskType task, int limit,
                          int maxNewTokens, int samples) {
        List<TrainingExample> scored = examples.stream().filter(e -> !e.prompt().isEmpty()).limit(limit).toList();
        if (scored.isEmpty()) {
            return new Result(Map.of(), List.of(), List.of());
        }
        List<Answer> answers = generate(model, scored, maxNewTokens);
        List<String> hypotheses = answers.stream().map(Answer::text).toList();
        List<String> references = answers.stream().map(Answer::reference).toList();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("bleu", Bleu.corpus(hypotheses, List.of(references)).score());
        RougeScores rouge = Rouge.withoutStemming().corpus(hypotheses, List.of(references));
        metrics.put("rouge1", rouge.rouge1().fmeasure());
        metrics.put("rouge2", rouge.rouge2().fmeasure());
        metrics.put("rougeL", rouge.rougeL().fmeasure());
        metrics.put("exactMatch", ExactMatch.score(hypotheses, references));
        List<EvaluationReport.Unsupported> unsupported = new ArrayList<>();
        double rateSum = 0;
        int withAny = 0;
        double repetition = 0;
        int empty = 0;
        int truncated = 0;
        for (Answer a : answers) {
            UnsupportedContent.Finding finding = UnsupportedContent.of(a.prompt(), a.text());
            rateSum += finding.rate();
            if (!finding.unsupported().isEmpty()) {
                withAny++;
                unsupported.add(new EvaluationReport.Unsupported(tail(a.prompt()), a.text(), finding.unsupported(),
                        finding.rate()));
            }
            repetition += Repetition.rate(a.text());
            empty += a.text().isBlank() ? 1 : 0;
            truncated += a.truncated() ? 1 : 0;
        }
        int n = answers.size();
        if (task == TaskType.GENERATION || task == TaskType.INSTRUCTION) {
            metrics.put("unsupportedRate", rateSum / n);
            metrics.put("unsupportedShare", (double) withAny / n);
        }
        metrics.put("repetitionRate", repetition / n);
        metrics.put("emptyRate", (double) empty / n);
        metrics.put("truncatedRate", (double) truncated / n);
        unsupported.sort(Comparator.comparingDouble(EvaluationReport.Unsupported::rate).reversed());
        List<EvaluationReport.Prediction> shown = answers.stream().limit(samples)
                .map(a -> new EvaluationReport.Prediction(tail(a.prompt()), a.reference(), a.text(), null)).toList();
        return new Result(metrics, shown, unsupported.subList(0, Math.min(samples, unsupported.size())));
    }

    /** The share of free answers to the classification prompts that are none of the labels. */
    static double outsideLabelsRate(LanguageModel model, ExampleFormat format, List<String> texts,
                                    List<String> labels, int limit) {
        List<TrainingExample> prompts = texts.stream().limit(limit)
                .map(t -> new TrainingExample(format.labelPrompt(t), "")).toList();
        if (prompts.isEmpty()) {
            return 0;
        }
        int longest = labels.stream().mapToInt(l -> model.tokenizer().encode(" " + l).length).max().orElse(1);
        int outside = 0;
        for (Answer a : generate(model, prompts, longest + 2)) {
            String answer = a.text().strip().toLowerCase(Locale.ROOT);
            if (labels.stream().noneMatch(l -> answer.startsWith(l.toLowerCase(Locale.ROOT)))) {
                outside++;
            }
        }
        return (double) outside / prompts.size();
    }

    private static List<Answer> generate(LanguageModel model, List<TrainingExample> examples, int maxNewTokens) {
        Tokenizer tokenizer = model.tokenizer();
        int room = Math.max(1, model.config().contextLength() - maxNewTokens);
        Set<Integer> eos = tokenizer.eosIds();
        List<Answer> answers = new ArrayList<>();
        for (int from = 0; from < examples.size(); from += BATCH) {
            List<TrainingExample> batch = examples.subList(from, Math.min(examples.size(), from + BATCH));
            List<int[]> prompts = new ArrayList<>();
            for (TrainingExample e : batch) {
                int[] ids = tokenizer.encodeWithTemplate(e.prompt());
                prompts.add(ids.length > room ? Arrays.copyOfRange(ids, ids.length - room, ids.length) : ids);
            }
            List<int[]> generated = model.generate(prompts, SamplingConfig.greedy(maxNewTokens));
            for (int i = 0; i < batch.size(); i++) {
                int[] ids = generated.get(i);
                boolean stopped = ids.length > 0 && eos.contains(ids[ids.length - 1]);
                String reference = tokenizer.decode(tokenizer.encode(batch.get(i).completion()), true).strip();
                answers.add(new Answer(batch.get(i).prompt(), reference,
                        endOfAnswer(tokenizer.decode(ids, true)), !stopped && ids.length >= maxNewTokens));
            }
        }
        return answers;
    }

    private static String endOfAnswer(String text) {
        int end = text.length();
        for (String marker : TURN_MARKERS) {
            int at = text.indexOf(marker);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return text.substring(0, end).strip();
    }

    private static String tail(String prompt) {
        return prompt.length() <= 400 ? prompt : "…" + prompt.substring(prompt.length() - 400);
    }
}
