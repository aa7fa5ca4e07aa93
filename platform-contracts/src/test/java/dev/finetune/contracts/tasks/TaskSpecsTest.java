package dev.finetune.contracts.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.finetune.contracts.events.TrainingMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TaskSpecsTest {

    private static final Path EXAMPLES = Path.of("..", "examples", "tasks");

    @Test
    void everyExampleTaskFileIsValid() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(EXAMPLES)) {
            files = list.filter(f -> f.toString().endsWith(".yaml")).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(2);
        for (Path file : files) {
            TaskSpecs.Checked checked = TaskSpecs.read(Files.readString(file));
            assertThat(checked.problems()).as(file.toString()).isEmpty();
        }
    }

    @Test
    void variantsChangeTheTasksSettingsFieldByField() throws IOException {
        TaskSpec spec = TaskSpecs.read(Files.readString(EXAMPLES.resolve("sentiment.yaml"))).spec();

        List<TaskSpec.Run> runs = TaskSpecs.runs(spec);

        assertThat(runs).extracting(TaskSpec.Run::variant).containsExactly("full", "lora-r8");
        assertThat(runs.get(0).method()).isEqualTo(TrainingMethod.FULL);
        assertThat(runs.get(0).hyperparameters().learningRate()).isEqualTo(0.003);
        TaskSpec.Run lora = runs.get(1);
        assertThat(lora.method()).isEqualTo(TrainingMethod.LORA);
        assertThat(lora.hyperparameters().learningRate()).isEqualTo(0.01);
        assertThat(lora.hyperparameters().epochs()).as("kept from the task").isEqualTo(5);
        assertThat(lora.hyperparameters().lora().rank()).isEqualTo(8);
        assertThat(lora.baseModel()).isEqualTo("tiny-llama");
    }

    @Test
    void aBrokenFileGetsEveryStructuralProblemAtOnceWithItsPath() {
        TaskSpecs.Checked checked = TaskSpecs.read("""
                name: Bad Name
                task: SUMMARY
                dataset: {version: v1}
                baseModel: tiny-llama
                method: FULL
                hyperparameters: {epochs: 0, lrSchedule: wavy, colour: blue}
                gate: {metric: accuracy, targetStage: live}
                """);

        assertThat(checked.valid()).isFalse();
        assertThat(checked.spec()).isNull();
        assertThat(String.join("\\n", checked.problems())).contains("name: ", "task: ", "dataset: ",
                "hyperparameters.epochs: ", "hyperparameters.lrSchedule: ", "hyperparameters: ", "colour",
                "gate.targetStage: ");
        assertThat(checked.problems()).hasSizeGreaterThanOrEqualTo(7);
        assertThat(checked.problems()).anyMatch(p -> p.startsWith("task: ") && p.contains("CLASSIFICATION"));
    }

    @Test
    void rulesBeyondTheSchemaAreCheckedTogether() {
        TaskSpecs.Checked checked = TaskSpecs.read("""
                name: broken
                task: GENERATION
                labels: [a, b]
                dataset: {name: tickets}
                prompt: {template: "Summarise this."}
                baseModel: tiny-llama
                method: LORA
                hyperparameters: {batchSize: 8}
                variants:
                  - {name: one, hyperparameters: {batchSize: 5000}}
                  - {name: one}
                metrics: [loss, accuracy]
                gate: {metric: macroF1}
                retraining: {enabled: true}
                """);

        assertThat(checked.problems()).contains(
                "labels: only a CLASSIFICATION task has labels, this one is GENERATION",
                "prompt.template: must contain {text}, {instruction} or {input} where the record goes",
                "metrics: accuracy is not computed for a GENERATION task (allowed: bleu, rouge1, rouge2, rougeL, "
                        + "exactMatch, repetitionRate, emptyRate, truncatedRate, unsupportedRate, unsupportedShare, "
                        + "loss, perplexity)",
                "gate.metric: must be one of the task's metrics [loss, accuracy] but was 'macroF1'",
                "variants[1].name: 'one' is used twice",
                "retraining.minNewExamples: is required when retraining is enabled");
        assertThat(checked.problems()).anyMatch(p -> p.startsWith("variants[0].hyperparameters.batchSize"));
    }

    @Test
    void notYamlIsSaidWithItsLine() {
        assertThat(TaskSpecs.read("name: x\n  task: [unclosed").problems())
                .singleElement().asString().startsWith("line ").contains("not valid YAML");
        assertThat(TaskSpecs.read("").problems()).containsExactly("the task file is empty");
    }

    @Test
    void anAliasBombDoesNotExpand() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p).append(", *")
                    .append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
        }

        // ten levels of ten aliases would be 10^10 strings expanded; the YAML reader keeps an alias as its name
        List<String> problems = TaskSpecs.read(yaml.toString()).problems();

        assertThat(problems).hasSize(16).contains("(the file): property 'k' is not defined in the schema and the "
                + "schema does not allow additional properties");
    }
}
