package dev.finetune.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.finetune.contracts.events.Hyperparameters;
import dev.finetune.contracts.events.TaskType;
import dev.finetune.contracts.events.TrainingMethod;
import dev.finetune.contracts.security.Roles;
import dev.finetune.stack.LocalStack;
import dev.finetune.stack.PlatformService;
import dev.finetune.stack.Ports;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.client.PlatformClient;
import dev.finetune.stack.security.TokenIssuer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard used as a person would, in headless Chromium driven by Playwright ({@code browser/dashboard.mjs})
 * against the whole local stack: a real job trained first, then trained again from its page while the test
 * watches the curves gain points, the model page, and the two versions compared. Screenshots of each step are
 * kept in {@code target/screenshots/}.
 *
 * <p>Needs Node.js and Debian's {@code chromium}; without them the test is skipped, unless
 * {@code FINETUNE_BROWSER_TESTS=required} (CI sets it), which makes their absence a failure.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    @TempDir
    Path dataDir;

    @Test
    void aPersonWatchesATrainingRunAndComparesTheVersions() throws Exception {
        Path repo = Path.of(System.getProperty("finetune.repo.root")).toAbsolutePath().normalize();
        Path browser = repo.resolve("end-to-end-tests/browser");
        boolean required = "required".equals(System.getenv("FINETUNE_BROWSER_TESTS"));
        boolean canRun = Files.isExecutable(CHROMIUM) && onPath("node") && onPath("npm");
        if (required) {
            assertThat(canRun).as("FINETUNE_BROWSER_TESTS=required but %s, node or npm is missing", CHROMIUM).isTrue();
        }
        Assumptions.assumeTrue(canRun, "needs " + CHROMIUM + " (Debian: apt-get install chromium), node and npm");
        if (!Files.isDirectory(browser.resolve("node_modules/playwright-core"))) {
            run(browser, Duration.ofMinutes(5), "npm", "ci", "--no-audit", "--no-fund");
        }

        StackConfig config = StackConfig.builder(repo).dataDir(dataDir.resolve("stack"))
                .kafkaPort(Ports.freePort()).kafkaControllerPort(Ports.freePort()).s3Port(Ports.freePort())
                .postgresPort(Ports.freePort()).registryPort(Ports.freePort()).datasetPort(Ports.freePort())
                .trainerPort(Ports.freePort()).evaluatorPort(Ports.freePort())
                .build();
        try (LocalStack stack = new LocalStack(config, true).serviceTimeout(Duration.ofMinutes(3)).start()) {
            TokenIssuer issuer = TokenIssuer.forStack(config);
            PlatformClient client = new PlatformClient(URI.create(config.serviceUrl(PlatformService.DATASET)),
                    URI.create(config.serviceUrl(PlatformService.REGISTRY)),
                    issuer.issue("browser-test", Roles.ADMIN, Duration.ofHours(1)));
            var upload = client.uploadDataset("sentiment", TaskType.CLASSIFICATION,
                    repo.resolve("examples/datasets/sentiment.jsonl"));
            // long enough (and reported often enough) for the page to watch points arrive
            var job = client.submitJob(new PlatformClient.JobRequest("sentiment", upload.dataset(), "tiny-random",
                    TrainingMethod.FULL, new Hyperparameters(20, 300, 16, 64, 3e-3, 10, 0.01, 42L, 3)));
            JsonNode first = client.awaitEvaluatedModel(job.jobId(), Duration.ofMinutes(10));
            assertThat(first.path("trainingCurve").path("points").asInt()).isPositive();

            Path screenshots = repo.resolve("end-to-end-tests/target/screenshots");
            ProcessBuilder node = new ProcessBuilder("node", "dashboard.mjs").directory(browser.toFile()).inheritIO();
            node.environment().put("DASHBOARD_URL", config.serviceUrl(PlatformService.REGISTRY));
            node.environment().put("TOKEN", issuer.issue("browser-test", Roles.ADMIN, Duration.ofHours(1)));
            node.environment().put("JOB_ID", job.jobId());
            node.environment().put("SCREENSHOTS", screenshots.toString());
            node.environment().put("CHROMIUM", CHROMIUM.toString());
            Process process = node.start();
            assertThat(process.waitFor(15, TimeUnit.MINUTES)).as("the browser test finished in time").isTrue();
            assertThat(process.exitValue()).as("browser/dashboard.mjs exit code (its reason is printed above)")
                    .isZero();
            for (String shot : List.of("1-overview", "2-live-curves", "3-job-finished", "4-model", "5-compare")) {
                assertThat(screenshots.resolve(shot + ".png")).isNotEmptyFile();
            }
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static void run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        assertThat(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", command) + " in time")
                .isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    }
}
