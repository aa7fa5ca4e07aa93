package dev.finetune.registry.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.finetune.contracts.events.ArtifactRef;
import dev.finetune.contracts.events.DatasetRef;
import dev.finetune.contracts.events.EvaluationCompleted;
import dev.finetune.contracts.events.EventCodec;
import dev.finetune.contracts.events.JobOutcome;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.events.TrainingCompleted;
import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.contracts.events.TrainingRequested;
import dev.finetune.contracts.security.Roles;
import dev.finetune.contracts.storage.ObjectStore;
import dev.finetune.contracts.storage.S3Uri;
import dev.finetune.testing.RealServersResource;
import dev.finetune.testing.security.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The dashboard's pages and session against a real broker, database and S3 server, as a browser would call them. */
@QuarkusTest
@WithTestResource(RealServersResource.class)
class DashboardTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @InjectKafkaCompanion
    KafkaCompanion kafka;

    @Inject
    ObjectStore store;

    @TestHTTPResource("/")
    URL root;

    /** Signs in with a token of this role; the session cookie the sign-in set. */
    private static String signIn(String role) {
        Response signIn = RestAssured.given().redirects().follow(false).formParam("token", TestTokens.token(role))
                .post("/dashboard/session");
        signIn.then().statusCode(303).header("Location", containsString("/dashboard"))
                .header("Set-Cookie", allOf(containsString(SessionResource.COOKIE + "="), containsString("HttpOnly"),
                        containsString("SameSite=Strict")));
        return signIn.getCookie(SessionResource.COOKIE);
    }

    /** A request of a browser holding this session cookie (a fresh one each time: RestAssured's accumulate). */
    private static RequestSpecification browser(String cookie) {
        return RestAssured.given().redirects().follow(false).cookie(SessionResource.COOKIE, cookie);
    }

    private void send(String topic, String key, Object event) {
        kafka.produceStrings().fromRecords(new ProducerRecord<>(topic, key,
                EventCodec.encode((dev.finetune.contracts.events.PlatformEvent) event))).awaitCompletion();
    }

    /** A job trained, evaluated and reported as the other services announce it; its model version's id. */
    private long evaluatedJob(String jobId) {
        TrainingRequested request = new TrainingRequested(1, UUID.randomUUID(), Instant.now(), jobId, "board",
                new DatasetRef("board", "v1"), "tiny-random", null, null, "erin", "manual");
        send(Topics.TRAINING_REQUESTS, jobId, request);
        send(Topics.TRAINING_PROGRESS, jobId, new TrainingProgress(1, UUID.randomUUID(), Instant.now(), jobId, 5, 10,
                1, 2.5, 2.7, 1e-3, 800));
        send(Topics.TRAINING_PROGRESS, jobId, new TrainingProgress(1, UUID.randomUUID(), Instant.now(), jobId, 10, 10,
                1, 1.25, 1.5, 5e-4, 900));
        S3Uri report = new S3Uri("evaluations", jobId + "/report.json");
        store.putBytes(report, """
                {"confusionMatrix": {"negative": {"negative": 7, "positive": 1}, "positive": {"negative": 2, "positive": 9}},
                 "samplePredictions": [{"text": "a <b>bold</b> claim", "reference": "positive", "predicted": "negative",
                                        "confidence": 0.75}],
                 "worstErrors": []}""".getBytes(StandardCharsets.UTF_8), "application/json");
        TrainingCompleted completed = new TrainingCompleted(1, UUID.randomUUID(), Instant.now(), jobId,
                JobOutcome.SUCCEEDED, null, request,
                new ArtifactRef("s3://models/" + jobId + "/model/manifest.json", SHA, 10), SHA,
                Map.of("trainLoss", 1.25), "0.1.0-SNAPSHOT+abcdef1");
        send(Topics.TRAINING_COMPLETED, jobId, completed);
        send(Topics.EVALUATION_COMPLETED, jobId, new EvaluationCompleted(1, UUID.randomUUID(), Instant.now(), jobId,
                JobOutcome.SUCCEEDED, null, completed.model(), request.dataset(), 19,
                Map.of("accuracy", 0.8421, "baseline.accuracy", 0.5, "prompt.accuracy", 0.55),
                new ArtifactRef(report.toString(), SHA, 99)));
        Awaitility.await().atMost(WAIT).until(() -> RestAssured.given().auth().oauth2(TestTokens.admin())
                .get("/api/models?jobId=" + jobId).then().extract().path("[0].evaluationMetrics.accuracy") != null);
        return ((Number) RestAssured.given().auth().oauth2(TestTokens.admin()).get("/api/models?jobId=" + jobId)
                .then().extract().path("[0].id")).longValue();
    }

    @Test
    void visitorsWithoutAValidTokenAreSentToSignIn() {
        RestAssured.given().redirects().follow(false).get("/dashboard").then().statusCode(303)
                .header("Location", containsString("/dashboard/login"));
        RestAssured.given().get("/dashboard/login").then().statusCode(200)
                .body(containsString("<form method=\"post\" action=\"/dashboard/session\""));
        RestAssured.given().formParam("token", "not-a-token").post("/dashboard/session").then().statusCode(401)
                .body(containsString("token: refused: it is not a valid token of this platform"));
        RestAssured.given().formParam("token", "").post("/dashboard/session").then().statusCode(401)
                .body(containsString("token: is required"));
    }

    @Test
    void theSessionCookieOpensThePagesAndTheApi() {
        String jobId = "board-" + UUID.randomUUID().toString().substring(0, 8);
        long model = evaluatedJob(jobId);
        long other = evaluatedJob(jobId + "-b");

        String queued = jobId + "-queued";
        send(Topics.TRAINING_REQUESTS, queued, new TrainingRequested(1, UUID.randomUUID(), Instant.now(), queued,
                "board", new DatasetRef("board", "v1"), "tiny-random", null, null, "erin", "no progress yet"));
        Awaitility.await().atMost(WAIT).until(() -> RestAssured.given().auth().oauth2(TestTokens.admin())
                .get("/api/jobs/" + queued).statusCode() == 200);
        String viewer = signIn(Roles.VIEWER);
        browser(viewer).get("/api/jobs/" + jobId).then().statusCode(200).body("status", equalTo("EVALUATED"));
        browser(viewer).get("/dashboard").then().statusCode(200)
                .body(containsString("href=\"/dashboard/jobs/" + jobId + "\""),
                        containsString("href=\"/dashboard/models/" + model + "\""),
                        containsString("href=\"/dashboard/jobs/" + queued + "\""), containsString("0.8421"));
        browser(viewer).get("/dashboard/jobs/" + jobId).then().statusCode(200)
                .body(containsString("\"step\":10"), containsString("data-live=\"false\""),
                        containsString("href=\"/dashboard/models/" + model + "\""),
                        containsString("trained again from job " + jobId),
                        not(containsString("id=\"train-again\"")));
        browser(signIn(Roles.OPERATOR)).get("/dashboard/jobs/" + jobId).then().statusCode(200)
                .body(containsString("id=\"train-again\""));
        browser(viewer).get("/dashboard/models/" + model).then().statusCode(200)
                .body(containsString("0.1.0-SNAPSHOT+abcdef1"), containsString("<td class=\"num diagonal\">9</td>"),
                        containsString("a &lt;b&gt;bold&lt;/b&gt; claim"), containsString("0.8421"),
                        containsString("+0.3421"), not(containsString("id=\"promote\"")));
        browser(signIn(Roles.APPROVER)).get("/dashboard/models/" + model).then().statusCode(200)
                .body(containsString("id=\"promote\""));
        browser(viewer).get("/dashboard/compare?a=" + model + "&b=" + other).then().statusCode(200)
                .body(containsString("id=\"compare-lineage\""), containsString(jobId + "-b"),
                        containsString("<td class=\"num\">+0.0000</td>"));
        browser(viewer).get("/dashboard/compare?a=" + model).then().statusCode(404);
        browser(viewer).get("/dashboard/datasets").then().statusCode(200).body(containsString("id=\"datasets\""));
        browser(viewer).get("/dashboard/jobs/no-such-job").then().statusCode(404);
    }

    @Test
    void aRunningJobsProgressArrivesAsServerSentEvents() throws Exception {
        String jobId = "board-live-" + UUID.randomUUID().toString().substring(0, 8);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(root.toString()).resolve("/api/jobs/" + jobId + "/progress"))
                .header("Authorization", "Bearer " + TestTokens.token(Roles.VIEWER))
                .header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        CompletableFuture<String> firstData = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        return line.substring(5).strip();
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // the live channel joins its own group at start: publish until a snapshot comes through
        for (int step = 1; step <= 60 && !firstData.isDone(); step++) {
            send(Topics.TRAINING_PROGRESS, jobId, new TrainingProgress(1, UUID.randomUUID(), Instant.now(), jobId,
                    step, 100, 1, 3.0 / step, null, 1e-3, 1000));
            try {
                firstData.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException stillWaiting) {
                // next snapshot
            }
        }
        String data = firstData.get(1, TimeUnit.SECONDS);
        assertThat(data).contains("\"totalSteps\":100", "\"tokensPerSecond\":1000.0");
    }
}
