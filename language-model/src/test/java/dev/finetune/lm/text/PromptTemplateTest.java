package dev.finetune.lm.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.finetune.lm.model.BatchArrays;
import dev.finetune.lm.model.CausalLmLoss;
import dev.finetune.lm.model.DjlRuntime;
import dev.finetune.lm.tokenizer.ByteTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void theDefaultTemplateIsHumanAssistantAndTheResponseIsTheOnlyTarget() {
        TrainingExample example = PromptTemplate.HUMAN_ASSISTANT.example("Summarise:", "a long text", "short");

        assertThat(example.prompt()).isEqualTo("###Human: Summarise:\n\na long text ###Assistant:");
        assertThat(example.completion()).isEqualTo(" short");
        assertThat(PromptTemplate.CHATML.example("Hi?", null, "Hello.").prompt() + "|")
                .isEqualTo("<|im_start|>user\nHi?<|im_end|>\n<|im_start|>assistant\n|");
    }

    @Test
    void chatTemplatesAreRecognisedByTheirMarkers() {
        assertThat(PromptTemplate.detect(null)).isEqualTo(PromptTemplate.HUMAN_ASSISTANT);
        assertThat(PromptTemplate.detect("{% for m in messages %}<|im_start|>{{ m.role }}")).isEqualTo(PromptTemplate.CHATML);
        assertThat(PromptTemplate.detect("{{ '[INST] ' + content }}")).isEqualTo(PromptTemplate.LLAMA2);
        assertThat(PromptTemplate.detect("<|start_header_id|>{{ role }}")).isEqualTo(PromptTemplate.LLAMA3);
        assertThat(PromptTemplate.detect("<|user|>\n{{c}}</s><|assistant|>")).isEqualTo(PromptTemplate.ZEPHYR);
    }

    @Test
    void instructionLossIgnoresPromptTokens() {
        TokenizedExample example = new ByteTokenizer().tokenize(
                PromptTemplate.HUMAN_ASSISTANT.example("Name a colour.", null, "Blue."));
        SequenceBatch batch = SequenceBatch.of(List.of(example), 64, ByteTokenizer.PAD);
        int responseTokens = " Blue.".length() + 1; // and EOS
        assertThat(batch.targetCount()).isEqualTo(responseTokens);

        try (NDManager manager = DjlRuntime.engine().newBaseManager()) {
            BatchArrays arrays = BatchArrays.of(manager, batch);
            NDArray logits = manager.randomNormal(new Shape(1, batch.length(), 259));
            // change every prediction made inside the prompt: the loss must not move
            NDArray promptPositions = arrays.mask().eq(0).toType(DataType.FLOAT32, false).expandDims(2); // (1, T, 1)
            NDArray changed = logits.add(manager.randomNormal(new Shape(1, batch.length(), 259)).mul(5).mul(promptPositions));
            float before = CausalLmLoss.meanNll(logits, arrays.targets(), arrays.mask(), arrays.targetCount()).getFloat();
            float after = CausalLmLoss.meanNll(changed, arrays.targets(), arrays.mask(), arrays.targetCount()).getFloat();

            assertThat(after).isEqualTo(before);
            assertThat(changed.sub(logits).abs().sum().getFloat()).isGreaterThan(1f);
        }
    }
}
