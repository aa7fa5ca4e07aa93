package dev.finetune.stack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.finetune.contracts.events.InvalidEventException;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.stack.StackConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FinetuneCliTest {

    @TempDir
    Path dir;

    @Test
    void portAndFolderOptionsBecomeTheConfiguration() {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs("--repo", dir.toString(), "--data-dir", dir.resolve("d").toString(),
                "--kafka-port", "29092", "--kafka-controller-port", "29093", "--s3-port", "29000",
                "--postgres-port", "25432", "--registry-port", "28080", "--dataset-port", "28081",
                "--trainer-port", "28082", "--evaluator-port", "28083", "--foreground", "--servers-only");
        StackConfig c = up.options.toConfig();
        assertThat(c.repoRoot()).isEqualTo(dir);
        assertThat(c.dataDir()).isEqualTo(dir.resolve("d"));
        assertThat(c.kafkaPort()).isEqualTo(29092);
        assertThat(c.kafkaControllerPort()).isEqualTo(29093);
        assertThat(c.s3Port()).isEqualTo(29000);
        assertThat(c.postgresPort()).isEqualTo(25432);
        assertThat(c.registryPort()).isEqualTo(28080);
        assertThat(c.evaluatorPort()).isEqualTo(28083);
        assertThat(up.foreground).isTrue();
        assertThat(up.serversOnly).isTrue();
    }

    @Test
    void defaultsWithoutOptions() {
        StatusCommand status = new StatusCommand();
        new CommandLine(status).parseArgs("--repo", dir.toString());
        assertThat(status.options.toConfig()).isEqualTo(StackConfig.defaults(dir));
    }

    @Test
    void supervisorArgumentsReproduceTheConfigurationButNotTheSecret() {
        StackConfig c = StackConfig.builder(dir).kafkaPort(29092).s3SecretKey("another-secret").build();
        var args = StackOptions.toArguments(c);
        assertThat(args).doesNotContain("another-secret");
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs(args.toArray(String[]::new));
        assertThat(up.options.toConfig())
                .isEqualTo(c.toBuilder().s3SecretKey(StackConfig.DEFAULT_S3_SECRET_KEY).build());
    }

    @Test
    void submitFillsTheEnvelopeAndJobId() {
        TrainingRequested r = SubmitCommand.prepare("""
                {"modelName":"sentiment","dataset":{"name":"sentiment","version":"v1"},"baseModel":"tiny-random",
                 "unknownField":true}""");
        assertThat(r.jobId()).isNotBlank();
        assertThat(r.eventId()).isNotNull();
        assertThat(r.occurredAt()).isNotNull();
        assertThat(r.schemaVersion()).isEqualTo(TrainingRequested.SCHEMA_VERSION);
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void submitKeepsGivenIds() {
        TrainingRequested r = SubmitCommand.prepare("""
                {"jobId":"job-1","modelName":"m","dataset":{"name":"d","version":"v1"},"baseModel":"b"}""");
        assertThat(r.jobId()).isEqualTo("job-1");
    }

    @Test
    void submitListsEveryProblem() {
        assertThatThrownBy(() -> SubmitCommand.prepare("{\"modelName\":\"Bad Name\",\"hyperparameters\":{\"epochs\":0}}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("modelName"))
                        .anySatisfy(p -> assertThat(p).startsWith("dataset"))
                        .anySatisfy(p -> assertThat(p).startsWith("baseModel"))
                        .anySatisfy(p -> assertThat(p).startsWith("hyperparameters.epochs")));
        assertThatThrownBy(() -> SubmitCommand.prepare("[1,2]")).isInstanceOf(InvalidEventException.class);
        assertThatThrownBy(() -> SubmitCommand.prepare("{not json")).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void invalidFileExitsWithCode2AndMissingFileWithAOneLineReason() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"modelName\":\"x\"}");
        CommandLine cli = FinetuneCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("submit", "--repo", dir.toString(), bad.toString())).isEqualTo(2);
        assertThat(cli.execute("submit", "--repo", dir.toString(), dir.resolve("none.json").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("finetune submit: " + dir.resolve("none.json") + " does not exist");
        assertThat(cli.execute("no-such-command")).isEqualTo(2);
        assertThat(cli.execute("up", "--kafka-port", "not-a-number")).isEqualTo(2);
    }

    @Test
    void taskFilesAreCheckedBeforeAnythingIsSent() throws Exception {
        Path example = Path.of("..", "..", "examples", "tasks", "sentiment.yaml");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "name: x\ntask: SORTING\n");
        CommandLine cli = FinetuneCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("task", "validate", example.toString())).isZero();
        assertThat(cli.execute("task", "validate", broken.toString())).isEqualTo(2);
        // refused before any stack is looked for: there is none here
        assertThat(cli.execute("task", "apply", "--repo", dir.toString(), broken.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("finetune task apply: " + broken + " has 4 problem(s), listed above; "
                + "nothing was sent");
        assertThat(cli.execute("task", "apply", "--repo", dir.toString(), example.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no stack is up");
    }

    @Test
    void downWithoutAStackIsANoOp() {
        assertThat(FinetuneCli.commandLine().execute("down", "--repo", dir.toString())).isZero();
    }

    @Test
    void tokensAreSignedWithTheStacksOwnerOnlyKeyAndCarryNameRoleAndExpiry() throws Exception {
        var sink = new java.io.ByteArrayOutputStream();
        TokenCommand.Create create = new TokenCommand.Create();
        create.out = new java.io.PrintStream(sink, true, java.nio.charset.StandardCharsets.UTF_8);
        StringWriter problems = new StringWriter();
        int exit = FinetuneCli.configure(new CommandLine(create)).setErr(new PrintWriter(problems))
                .execute("--repo", dir.toString(), "--role", "operator", "--name", "alice", "--ttl", "8h");

        assertThat(exit).as(problems.toString()).isZero();
        String[] parts = sink.toString(java.nio.charset.StandardCharsets.UTF_8).trim().split("\\.");
        assertThat(parts).hasSize(3);
        var claims = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("upn").asText()).isEqualTo("alice");
        assertThat(claims.path("groups").toString()).isEqualTo("[\"operator\"]");
        assertThat(claims.path("iss").asText()).isEqualTo(dev.finetune.contracts.security.Roles.LOCAL_ISSUER);
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(8 * 3600);
        Path keys = StackConfig.defaults(dir).securityDir();
        assertThat(java.nio.file.Files.getPosixFilePermissions(keys.resolve("jwt-private.pem")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        StringWriter err = new StringWriter();
        CommandLine cli = FinetuneCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("token", "create", "--repo", dir.toString(), "--role", "root", "--name", "x y",
                "--ttl", "400d")).isEqualTo(2);
        assertThat(err.toString()).contains("name: must be 1-64 letters", "role: must be one of [viewer, "
                + "data-editor, operator, approver, admin] but was 'root'", "ttl: must be above zero and at most 90 days");
    }

    private String score(String... args) {
        var sink = new java.io.ByteArrayOutputStream();
        ScoreCommand score = new ScoreCommand();
        score.out = new java.io.PrintStream(sink, true, java.nio.charset.StandardCharsets.UTF_8);
        int exit = new CommandLine(score).execute(args);
        assertThat(exit).isZero();
        return sink.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void scoresBleuRougeAndLabelsFromFiles() throws Exception {
        Path hyps = java.nio.file.Files.writeString(dir.resolve("hyps.txt"), "the cat sat on the mat\nhello there\n");
        Path refs = java.nio.file.Files.writeString(dir.resolve("refs.txt"), "the cat sat on the mat\nhello there\n");
        assertThat(score("--metric", "bleu", "--hypotheses", hyps.toString(), "--references", refs.toString()))
                .contains("\"metric\" : \"bleu\"", "\"score\" : 100.0");
        assertThat(score("--metric", "rouge", "--stem", "--hypotheses", hyps.toString(), "--references",
                refs.toString())).contains("\"rougeL\"", "\"fmeasure\" : 1.0", "\"stemming\" : true");

        Path predicted = java.nio.file.Files.writeString(dir.resolve("pred.txt"), "pos\nneg\nneg\npos\n");
        Path actual = java.nio.file.Files.writeString(dir.resolve("gold.txt"), "pos\npos\nneg\npos\n");
        assertThat(score("--metric", "f1", "--hypotheses", predicted.toString(), "--references", actual.toString()))
                .contains("\"accuracy\" : 0.75", "\"macroF1\"", "\"perClass\"");
    }

    @Test
    void refusesReferencesOfAnotherLength() throws Exception {
        Path hyps = java.nio.file.Files.writeString(dir.resolve("h.txt"), "a\nb\n");
        Path refs = java.nio.file.Files.writeString(dir.resolve("r.txt"), "a\n");
        ScoreCommand score = new ScoreCommand();
        var err = new java.io.StringWriter();
        int exit = new CommandLine(score).setErr(new java.io.PrintWriter(err))
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    cl.getErr().println(e.getMessage());
                    return 2;
                })
                .execute("--metric", "bleu", "--hypotheses", hyps.toString(), "--references", refs.toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("has 1 lines but --hypotheses").contains("has 2");
    }

    @Test
    void theExampleRequestsAreValidTrainingRequests() throws java.io.IOException {
        Path examples = Path.of("../../examples/requests");
        try (var files = Files.list(examples)) {
            List<Path> requests = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(requests).extracting(f -> f.getFileName().toString())
                    .contains("sentiment-full.json", "sentiment-lora.json");
            for (Path file : requests) {
                TrainingRequested request = SubmitCommand.prepare(Files.readString(file));
                assertThat(request.problems()).as(file.toString()).isEmpty();
            }
        }
    }
}
