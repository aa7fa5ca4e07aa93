package dev.finetune.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.finetune.contracts.events.Topics;
import dev.finetune.contracts.storage.Buckets;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the deployment manifests (docker-compose.yml, k8s/, each service's Dockerfile.jvm) consistent with
 * the code: topics and buckets with {@link Topics} and {@link Buckets}, ports and environment variables with
 * each service's application.properties.
 *
 * <p>Kubernetes manifests are checked as {@code kubectl kustomize} renders each overlay when kubectl is on
 * the PATH; without it, the files under k8s/base are read directly (and the overlays' own files for what
 * only they hold), so the test never skips.
 */
class DeploymentManifestsTest {

    /** The four services; each folder holds the Maven module of the same name. */
    static final List<String> SERVICES =
            List.of("registry-service", "dataset-service", "trainer-service", "evaluator-service");

    /** Configuration every service needs from its deployment, in environment-variable form. */
    static final List<String> STORAGE_ENV = List.of("FINETUNE_STORAGE_ENDPOINT", "FINETUNE_STORAGE_ACCESS_KEY",
            "FINETUNE_STORAGE_SECRET_KEY");
    static final Map<String, List<String>> REQUIRED_ENV = Map.of(
            "registry-service", List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME",
                    "QUARKUS_DATASOURCE_PASSWORD"),
            "dataset-service", STORAGE_ENV,
            "trainer-service", concat(STORAGE_ENV, List.of("FINETUNE_TRAINER_WORK_DIR")),
            "evaluator-service", concat(STORAGE_ENV, List.of("FINETUNE_EVALUATOR_WORK_DIR")));
    static final List<String> COMMON_ENV = List.of("KAFKA_BOOTSTRAP_SERVERS");

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** Infrastructure images must be the projects' official ones. */
    static final Set<String> OFFICIAL_INFRA_REPOSITORIES =
            Set.of("apache/kafka", "minio/minio", "minio/mc", "postgres", "prom/prometheus", "grafana/grafana");

    /** Names of variables whose value is a credential and so must never be written down. */
    static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|ACCESS_KEY|TOKEN|CREDENTIAL).*");

    /** One line of the topic scripts: {@code create <topic> <partitions> <retention.ms>}. */
    static final Pattern CREATE_TOPIC = Pattern.compile("(?m)^\\s*create\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s*(#.*)?$");
    /** One line of the bucket scripts: {@code mc mb --ignore-existing <alias>/<bucket>}. */
    static final Pattern MAKE_BUCKET = Pattern.compile("mc\\s+mb\\s+--ignore-existing\\s+[\\w-]+/([a-z0-9.-]+)");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Path root;
    static JsonNode compose;
    static List<Rendering> renderings;

    /** The Kubernetes resources of one overlay as kubectl renders it, or of the base files read directly. */
    record Rendering(String name, List<JsonNode> resources) {

        List<JsonNode> ofKind(String kind) {
            return resources.stream().filter(r -> kind.equals(r.path("kind").asText())).toList();
        }

        Optional<JsonNode> find(String kind, String name) {
            return ofKind(kind).stream().filter(r -> name.equals(r.path("metadata").path("name").asText())).findFirst();
        }

        JsonNode get(String kind, String name) {
            return find(kind, name).orElseGet(() -> fail("%s: no %s named %s", this.name, kind, name));
        }

        /** The first container of a Deployment, StatefulSet or Job. */
        JsonNode container(String kind, String name) {
            JsonNode containers = get(kind, name).path("spec").path("template").path("spec").path("containers");
            assertThat(containers.size()).as("%s: containers of %s %s", this.name, kind, name).isGreaterThan(0);
            return containers.get(0);
        }
    }

    @BeforeAll
    static void readManifests() throws Exception {
        String configured = System.getProperty("finetune.repo.root");
        assertThat(configured).as("system property finetune.repo.root (set by surefire)").isNotBlank();
        root = Path.of(configured).toAbsolutePath().normalize();
        assertThat(root.resolve("docker-compose.yml")).exists();
        assertThat(root.resolve("k8s")).isDirectory();

        compose = YAML.readTree(root.resolve("docker-compose.yml").toFile());
        renderings = kubectlOnPath()
                ? List.of(render("local"), render("production"))
                : List.of(readBaseFiles());
    }

    // ------------------------------------------------------------------ topics and buckets

    @Test
    void composeCreatesEveryTopicWithItsPartitionsAndRetention() {
        String script = script(composeService("kafka-init"));
        assertTopicScriptMatchesContracts("docker-compose.yml kafka-init", script);
    }

    @Test
    void kubernetesTopicsJobCreatesEveryTopicWithItsPartitionsAndRetention() {
        for (Rendering r : renderings) {
            String script = script(r.container("Job", "kafka-topics"));
            assertTopicScriptMatchesContracts(r.name() + " Job kafka-topics", script);
        }
    }

    @Test
    void composeAndKubernetesCreateEveryBucket() {
        assertThat(buckets(script(composeService("minio-init"))))
                .as("buckets created by docker-compose.yml minio-init")
                .containsExactlyInAnyOrderElementsOf(Buckets.ALL);
        for (Rendering r : renderings) {
            assertThat(buckets(script(r.container("Job", "minio-buckets"))))
                    .as("buckets created by %s Job minio-buckets", r.name())
                    .containsExactlyInAnyOrderElementsOf(Buckets.ALL);
        }
    }

    // ------------------------------------------------------------------ ports and probes

    @Test
    void composePortsAndHealthChecksUseEachServicesHttpPort() {
        SoftAssertions softly = new SoftAssertions();
        for (String service : SERVICES) {
            int port = httpPort(service);
            JsonNode s = composeService(service);
            List<Integer> containerPorts = new ArrayList<>();
            s.path("ports").forEach(p -> containerPorts.add(containerPort(p)));
            softly.assertThat(containerPorts).as("docker-compose.yml %s container ports", service).containsExactly(port);
            softly.assertThat(text(s.path("healthcheck").path("test")))
                    .as("docker-compose.yml %s healthcheck", service)
                    .contains("localhost:" + port + "/q/health/ready");
        }
        softly.assertAll();
    }

    @Test
    void kubernetesPortsProbesAndScrapeAnnotationsUseEachServicesHttpPort() {
        SoftAssertions softly = new SoftAssertions();
        for (Rendering r : renderings) {
            for (String service : SERVICES) {
                int port = httpPort(service);
                String where = r.name() + " " + service;
                JsonNode pod = r.get("Deployment", service).path("spec").path("template");
                JsonNode container = r.container("Deployment", service);

                Map<String, Integer> named = new LinkedHashMap<>();
                container.path("ports").forEach(p -> named.put(p.path("name").asText(), p.path("containerPort").asInt()));
                softly.assertThat(named.values()).as("%s containerPort", where).containsExactly(port);

                softly.assertThat(probe(container, "livenessProbe", named)).as("%s livenessProbe", where)
                        .isEqualTo("/q/health/live:" + port);
                softly.assertThat(probe(container, "readinessProbe", named)).as("%s readinessProbe", where)
                        .isEqualTo("/q/health/ready:" + port);

                JsonNode annotations = pod.path("metadata").path("annotations");
                softly.assertThat(annotations.path("prometheus.io/scrape").asText()).as("%s scrape", where).isEqualTo("true");
                softly.assertThat(annotations.path("prometheus.io/path").asText()).as("%s scrape path", where)
                        .isEqualTo("/q/metrics");
                softly.assertThat(annotations.path("prometheus.io/port").asText()).as("%s scrape port", where)
                        .isEqualTo(String.valueOf(port));

                JsonNode servicePorts = r.get("Service", service).path("spec").path("ports");
                softly.assertThat(servicePorts.size()).as("%s Service ports", where).isEqualTo(1);
                servicePorts.forEach(p -> {
                    JsonNode target = p.path("targetPort");
                    int resolved = target.isInt() ? target.asInt() : named.getOrDefault(target.asText(), -1);
                    softly.assertThat(resolved).as("%s Service targetPort", where).isEqualTo(port);
                });
            }
        }
        softly.assertAll();
    }

    // ------------------------------------------------------------------ environment

    @Test
    void composeEnvironmentMapsToDeclaredConfigurationKeys() {
        SoftAssertions softly = new SoftAssertions();
        for (String service : SERVICES) {
            Set<String> declared = declaredEnvNames(service);
            Map<String, String> env = composeEnvironment(composeService(service));
            softly.assertThat(undeclared(env.keySet(), declared))
                    .as("docker-compose.yml gives %s variables whose keys %s does not declare", service,
                            root.relativize(propertiesFile(service)))
                    .isEmpty();
            softly.assertThat(env.keySet()).as("docker-compose.yml %s environment", service)
                    .containsAll(requiredEnv(service));
        }
        softly.assertAll();
    }

    @Test
    void kubernetesEnvironmentMapsToDeclaredConfigurationKeys() {
        SoftAssertions softly = new SoftAssertions();
        for (Rendering r : renderings) {
            for (String service : SERVICES) {
                Set<String> declared = declaredEnvNames(service);
                Set<String> env = kubernetesEnvNames(r, service);
                softly.assertThat(undeclared(env, declared))
                        .as("%s gives %s variables whose keys %s does not declare", r.name(), service,
                                root.relativize(propertiesFile(service)))
                        .isEmpty();
                softly.assertThat(env).as("%s %s environment", r.name(), service).containsAll(requiredEnv(service));
            }
        }
        softly.assertAll();
    }

    /** The trainer's and evaluator's work directories are volumes, not the image's read-only layers. */
    @Test
    void workDirectoriesAreMountedVolumes() {
        SoftAssertions softly = new SoftAssertions();
        for (String service : SERVICES) {
            for (String variable : REQUIRED_ENV.get(service)) {
                if (!variable.endsWith("_WORK_DIR")) {
                    continue;
                }
                JsonNode s = composeService(service);
                String dir = composeEnvironment(s).get(variable);
                List<String> targets = new ArrayList<>();
                s.path("volumes").forEach(v -> targets.add(v.isObject()
                        ? v.path("target").asText() : v.asText().split(":")[1]));
                softly.assertThat(targets).as("docker-compose.yml %s volumes (%s=%s)", service, variable, dir).contains(dir);

                for (Rendering r : renderings) {
                    String configured = r.get("ConfigMap", service + "-config").path("data").path(variable).asText();
                    List<String> mounts = new ArrayList<>();
                    r.container("Deployment", service).path("volumeMounts")
                            .forEach(m -> mounts.add(m.path("mountPath").asText()));
                    softly.assertThat(mounts).as("%s %s volumeMounts (%s=%s)", r.name(), service, variable, configured)
                            .contains(configured);
                }
            }
        }
        softly.assertAll();
    }

    /**
     * Each service is one consumer group, so replicas (two trainers in production) share a topic's partitions
     * instead of each handling every record.
     */
    @Test
    void everyServiceConsumesAsItsOwnConsumerGroup() {
        SoftAssertions softly = new SoftAssertions();
        for (String service : SERVICES) {
            Properties p = properties(service);
            for (String key : p.stringPropertyNames()) {
                Matcher m = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.connector").matcher(key);
                if (m.matches() && "smallrye-kafka".equals(p.getProperty(key))) {
                    String group = Optional.ofNullable(p.getProperty("mp.messaging.incoming." + m.group(1) + ".group.id"))
                            .or(() -> Optional.ofNullable(p.getProperty("kafka.group.id")))
                            .or(() -> Optional.ofNullable(p.getProperty("quarkus.application.name")))
                            .orElse(service);
                    if (group.contains("${quarkus.uuid}")) {
                        // a broadcast channel: each replica reads every event from now on, and commits nothing
                        String channel = "mp.messaging.incoming." + m.group(1);
                        softly.assertThat(group).as("%s broadcast group of channel %s", service, m.group(1))
                                .startsWith(service.replace("-service", "") + "-live-");
                        softly.assertThat(p.getProperty(channel + ".auto.offset.reset")).as("%s offset reset", channel)
                                .isEqualTo("latest");
                        softly.assertThat(p.getProperty(channel + ".commit-strategy")).as("%s commits", channel)
                                .isEqualTo("ignore");
                        continue;
                    }
                    softly.assertThat(group).as("%s consumer group of channel %s", service, m.group(1)).isEqualTo(service);
                }
            }
            Set<String> deployed = new LinkedHashSet<>(composeEnvironment(composeService(service)).keySet());
            renderings.forEach(r -> deployed.addAll(kubernetesEnvNames(r, service)));
            softly.assertThat(deployed).as("%s: a deployment must not change the consumer group", service)
                    .noneMatch(name -> name.endsWith("GROUP_ID"));
        }
        softly.assertAll();
    }

    // ------------------------------------------------------------------ images

    @Test
    void everyServiceImageIsBuiltFromItsDockerfile() throws IOException {
        SoftAssertions softly = new SoftAssertions();
        for (String service : SERVICES) {
            JsonNode build = composeService(service).path("build");
            Path context = root.resolve(build.path("context").asText("<none>")).normalize();
            softly.assertThat(context).as("docker-compose.yml %s build context", service).isEqualTo(root.resolve(service));
            softly.assertThat(context.resolve(build.path("dockerfile").asText("Dockerfile")))
                    .as("docker-compose.yml %s dockerfile", service).isRegularFile();

            for (Rendering r : renderings) {
                String image = r.container("Deployment", service).path("image").asText();
                softly.assertThat(repository(image)).as("%s %s image %s", r.name(), service, image).endsWith("/" + service);
                softly.assertThat(tag(image)).as("%s %s image tag", r.name(), service).isNotEmpty().isNotEqualTo("latest");
            }

            Path dockerfile = dockerfile(service);
            softly.assertThat(dockerfile).isRegularFile();
            if (Files.isRegularFile(dockerfile)) {
                String text = Files.readString(dockerfile);
                softly.assertThat(text).as("%s FROM", dockerfile).containsPattern("(?m)^FROM eclipse-temurin:17-jre\\s*$");
                softly.assertThat(text).as("%s EXPOSE", dockerfile).containsPattern("(?m)^EXPOSE " + httpPort(service) + "\\s*$");
                softly.assertThat(text).as("%s runs the fast-jar", dockerfile).contains("quarkus-run.jar")
                        .contains("target/quarkus-app/lib/").contains("target/quarkus-app/app/")
                        .contains("target/quarkus-app/quarkus/");
                softly.assertThat(text).as("%s JAVA_OPTS", dockerfile).contains("-Dai.djl.offline=true");
                Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(text);
                String lastUser = null;
                while (user.find()) {
                    lastUser = user.group(1);
                }
                softly.assertThat(lastUser).as("%s USER", dockerfile).isNotNull().isNotIn("root", "0");
            }
        }
        softly.assertAll();
    }

    @Test
    void infrastructureImagesAreTheOfficialOnesWithPinnedTags() {
        SoftAssertions softly = new SoftAssertions();
        Iterator<Map.Entry<String, JsonNode>> services = compose.path("services").fields();
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> s = services.next();
            if (!SERVICES.contains(s.getKey())) {
                String image = s.getValue().path("image").asText();
                softly.assertThat(repository(image)).as("docker-compose.yml %s image", s.getKey())
                        .isIn(OFFICIAL_INFRA_REPOSITORIES);
                softly.assertThat(tag(image)).as("docker-compose.yml %s image tag", s.getKey())
                        .isNotEmpty().isNotEqualTo("latest");
            }
        }
        for (Rendering r : renderings) {
            for (JsonNode resource : r.resources()) {
                String name = resource.path("metadata").path("name").asText();
                for (JsonNode container : podSpec(resource).path("containers")) {
                    String image = container.path("image").asText();
                    if (SERVICES.contains(name) && "Deployment".equals(resource.path("kind").asText())) {
                        continue;
                    }
                    softly.assertThat(repository(image)).as("%s %s image", r.name(), name).isIn(OFFICIAL_INFRA_REPOSITORIES);
                    softly.assertThat(tag(image)).as("%s %s image tag", r.name(), name).isNotEmpty().isNotEqualTo("latest");
                }
            }
        }
        softly.assertThat(repository(composeService("kafka").path("image").asText())).isEqualTo("apache/kafka");
        softly.assertThat(repository(composeService("minio").path("image").asText())).isEqualTo("minio/minio");
        softly.assertThat(tag(composeService("minio").path("image").asText())).startsWith("RELEASE.");
        softly.assertThat(repository(composeService("postgres").path("image").asText())).isEqualTo("postgres");
        softly.assertAll();
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void composeTakesEveryCredentialFromARequiredVariable() throws IOException {
        Path example = root.resolve(".env.example");
        assertThat(example).as(".env.example documents the variables docker-compose.yml requires").isRegularFile();
        Properties documented = new Properties();
        try (Reader in = Files.newBufferedReader(example, StandardCharsets.UTF_8)) {
            documented.load(in);
        }
        SoftAssertions softly = new SoftAssertions();
        Iterator<Map.Entry<String, JsonNode>> services = compose.path("services").fields();
        while (services.hasNext()) {
            Map.Entry<String, JsonNode> s = services.next();
            composeEnvironment(s.getValue()).forEach((name, value) -> {
                if (CREDENTIAL_NAME.matcher(name).matches() || name.endsWith("_USER") || name.endsWith("_USERNAME")) {
                    Matcher required = Pattern.compile("^\\$\\{(\\w+):\\?[^}]*}$").matcher(value);
                    softly.assertThat(required.matches())
                            .as("docker-compose.yml %s %s must be ${VAR:?message}, is %s", s.getKey(), name, value).isTrue();
                    if (required.matches()) {
                        softly.assertThat(documented.stringPropertyNames()).as(".env.example").contains(required.group(1));
                    }
                }
            });
        }
        softly.assertAll();
    }

    @Test
    void productionOverlayHoldsNoLiteralCredentials() throws IOException {
        Path production = root.resolve("k8s/overlays/production");
        SoftAssertions softly = new SoftAssertions();

        List<JsonNode> resources = new ArrayList<>();
        for (Path file : yamlFiles(production)) {
            for (JsonNode doc : readYamlDocuments(Files.readString(file))) {
                softly.assertThat(doc.has("secretGenerator")).as("%s: secretGenerator", root.relativize(file)).isFalse();
                softly.assertThat(doc.path("kind").asText()).as("%s: kind", root.relativize(file)).isNotEqualTo("Secret");
                resources.add(doc);
            }
        }
        // What production deploys: the rendering, or without kubectl the base it includes.
        renderings.stream().filter(r -> r.name().endsWith("production") || r.name().startsWith("k8s/base"))
                .forEach(r -> resources.addAll(r.resources()));

        for (JsonNode resource : resources) {
            String where = resource.path("kind").asText() + " " + resource.path("metadata").path("name").asText();
            softly.assertThat(resource.path("kind").asText()).as("%s", where).isNotEqualTo("Secret");
            if ("ConfigMap".equals(resource.path("kind").asText())) {
                resource.path("data").fieldNames().forEachRemaining(key -> softly.assertThat(key)
                        .as("%s holds a credential", where).doesNotMatch(CREDENTIAL_NAME));
            }
            for (JsonNode container : podSpec(resource).path("containers")) {
                for (JsonNode env : container.path("env")) {
                    String name = env.path("name").asText();
                    if (CREDENTIAL_NAME.matcher(name).matches()) {
                        softly.assertThat(env.has("value")).as("%s: %s is a literal", where, name).isFalse();
                        softly.assertThat(env.path("valueFrom").has("secretKeyRef"))
                                .as("%s: %s comes from a Secret", where, name).isTrue();
                    }
                }
            }
        }
        softly.assertAll();
    }

    // ------------------------------------------------------------------ kustomize references

    @Test
    void everyKustomizationReferencesExistingFiles() throws IOException {
        SoftAssertions softly = new SoftAssertions();
        List<Path> kustomizations;
        try (Stream<Path> files = Files.walk(root.resolve("k8s"))) {
            kustomizations = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertThat(kustomizations).as("kustomization.yaml files under k8s/").hasSizeGreaterThanOrEqualTo(3);
        for (Path k : kustomizations) {
            JsonNode doc = YAML.readTree(k.toFile());
            Path dir = k.getParent();
            doc.path("resources").forEach(r -> softly.assertThat(dir.resolve(r.asText()))
                    .as("%s resource", root.relativize(k)).exists());
            doc.path("patches").forEach(p -> {
                if (p.has("path")) {
                    softly.assertThat(dir.resolve(p.path("path").asText())).as("%s patch", root.relativize(k)).isRegularFile();
                }
            });
        }
        assertThat(root.resolve("k8s/overlays/local/kustomization.yaml")).isRegularFile();
        assertThat(root.resolve("k8s/overlays/production/kustomization.yaml")).isRegularFile();
        softly.assertAll();
    }

    // ------------------------------------------------------------------ metrics dashboards

    @Test
    void prometheusScrapesEveryServiceAndGrafanaGetsEveryDashboard() throws IOException {
        SoftAssertions softly = new SoftAssertions();
        JsonNode prometheus = YAML.readTree(root.resolve("observability/prometheus/prometheus.yml").toFile());
        JsonNode job = prometheus.path("scrape_configs").get(0);
        softly.assertThat(job.path("metrics_path").asText()).as("prometheus.yml metrics_path").isEqualTo("/q/metrics");
        Map<String, String> targets = new java.util.TreeMap<>();
        job.path("static_configs").forEach(c -> c.path("targets").forEach(t -> targets.put(
                c.path("labels").path("service").asText(), t.asText())));
        Map<String, String> expected = new java.util.TreeMap<>();
        SERVICES.forEach(service -> expected.put(service, service + ":" + httpPort(service)));
        softly.assertThat(targets).as("prometheus.yml targets by service label").isEqualTo(expected);

        // compose mounts files that exist
        for (String service : List.of("prometheus", "grafana")) {
            composeService(service).path("volumes").forEach(v -> {
                String source = v.asText().split(":")[0];
                if (source.startsWith("./")) {
                    softly.assertThat(root.resolve(source.substring(2))).as("docker-compose.yml %s volume", service)
                            .exists();
                }
            });
        }
        // every dashboard is provisioned on Kubernetes too, and uses the provisioned data source
        List<String> dashboards;
        try (Stream<Path> files = Files.list(root.resolve("observability/grafana/dashboards"))) {
            dashboards = files.map(f -> "grafana/dashboards/" + f.getFileName()).sorted().toList();
        }
        assertThat(dashboards).as("dashboards").isNotEmpty();
        JsonNode kustomization = YAML.readTree(root.resolve("observability/kustomization.yaml").toFile());
        List<String> generated = new ArrayList<>();
        kustomization.path("configMapGenerator").get(0).path("files").forEach(f -> generated.add(f.asText()));
        softly.assertThat(generated).as("observability/kustomization.yaml dashboards").containsExactlyInAnyOrderElementsOf(dashboards);
        kustomization.path("resources").forEach(r -> softly.assertThat(root.resolve("observability").resolve(r.asText()))
                .as("observability/kustomization.yaml resource").exists());
        String datasource = YAML.readTree(root.resolve("observability/grafana/provisioning/datasources/prometheus.yml")
                .toFile()).path("datasources").get(0).path("uid").asText();
        for (String d : dashboards) {
            JsonNode dashboard = YAML.readTree(root.resolve("observability").resolve(d).toFile());
            dashboard.path("panels").forEach(panel -> {
                if (!"row".equals(panel.path("type").asText())) {
                    softly.assertThat(panel.path("datasource").path("uid").asText())
                            .as("%s panel %s data source", d, panel.path("title").asText()).isEqualTo(datasource);
                    softly.assertThat(panel.path("targets").size()).as("%s panel %s queries", d,
                            panel.path("title").asText()).isPositive();
                }
            });
        }
        softly.assertAll();
    }

    // ------------------------------------------------------------------ topic and bucket scripts

    static void assertTopicScriptMatchesContracts(String where, String script) {
        assertThat(script).as(where).contains("kafka-topics.sh").contains("--create").contains("--if-not-exists");
        Map<String, long[]> created = new LinkedHashMap<>();  // topic -> {partitions, retention.ms}
        Matcher m = CREATE_TOPIC.matcher(script);
        while (m.find()) {
            long[] previous = created.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
            assertThat(previous).as("%s creates %s twice", where, m.group(1)).isNull();
        }
        assertThat(created.keySet()).as("topics created by %s", where).containsExactlyInAnyOrderElementsOf(Topics.allNames());

        SoftAssertions softly = new SoftAssertions();
        for (Topics.Topic t : Topics.ALL) {
            softly.assertThat(created.get(t.name())).as("%s %s {partitions, retention.ms}", where, t.name())
                    .containsExactly(t.partitions(), t.retention().toMillis());
            if (t.consumed()) {
                softly.assertThat(created.get(t.dlq())).as("%s %s {partitions, retention.ms}", where, t.dlq())
                        .containsExactly(t.dlqPartitions(), Topics.DLQ_RETENTION.toMillis());
            }
        }
        softly.assertAll();
    }

    static Set<String> buckets(String script) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = MAKE_BUCKET.matcher(script);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The command and arguments of a compose service or a container, joined: the shell script they run. */
    static String script(JsonNode commandHolder) {
        List<String> parts = new ArrayList<>();
        for (String field : List.of("entrypoint", "command", "args")) {
            JsonNode node = commandHolder.path(field);
            if (node.isArray()) {
                node.forEach(n -> parts.add(n.asText()));
            } else if (node.isTextual()) {
                parts.add(node.asText());
            }
        }
        return String.join("\n", parts);
    }

    // ------------------------------------------------------------------ services' configuration

    static Path propertiesFile(String service) {
        return root.resolve(service).resolve("src/main/resources/application.properties");
    }

    static Properties properties(String service) {
        Path file = propertiesFile(service);
        assertThat(file).as("configuration of %s", service).isRegularFile();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return p;
    }

    static int httpPort(String service) {
        String port = properties(service).getProperty("quarkus.http.port");
        assertThat(port).as("quarkus.http.port in %s", propertiesFile(service)).isNotBlank();
        return Integer.parseInt(port.trim());
    }

    /**
     * The environment-variable names that set a key the service declares, by Quarkus's mapping: upper case,
     * every character other than a letter or digit replaced by '_'. A profile prefix ({@code %prod.}) is
     * dropped because an unprefixed variable applies to every profile.
     */
    static Set<String> declaredEnvNames(String service) {
        return properties(service).stringPropertyNames().stream()
                .map(key -> key.replaceFirst("^%[^.]+\\.", ""))
                .map(DeploymentManifestsTest::envName)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    static List<String> undeclared(Set<String> given, Set<String> declared) {
        return given.stream().filter(name -> !declared.contains(name)).toList();
    }

    static List<String> requiredEnv(String service) {
        List<String> required = new ArrayList<>(COMMON_ENV);
        required.addAll(REQUIRED_ENV.get(service));
        return required;
    }

    static Path dockerfile(String service) {
        return root.resolve(service).resolve("src/main/docker/Dockerfile.jvm");
    }

    // ------------------------------------------------------------------ compose

    static JsonNode composeService(String name) {
        JsonNode s = compose.path("services").path(name);
        assertThat(s.isObject()).as("docker-compose.yml service %s", name).isTrue();
        return s;
    }

    /** A service's environment, written as a map or as a list of NAME=value. */
    static Map<String, String> composeEnvironment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        } else if (node.isArray()) {
            node.forEach(e -> {
                String[] kv = e.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            });
        }
        return env;
    }

    /** The container side of a compose port mapping, short ("127.0.0.1:8080:8080") or long syntax. */
    static int containerPort(JsonNode mapping) {
        if (mapping.isObject()) {
            return mapping.path("target").asInt();
        }
        String text = mapping.asText().replaceFirst("/(tcp|udp)$", "");
        return Integer.parseInt(text.substring(text.lastIndexOf(':') + 1));
    }

    static String text(JsonNode node) {
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(n -> parts.add(n.asText()));
            return String.join(" ", parts);
        }
        return node.asText();
    }

    // ------------------------------------------------------------------ Kubernetes

    static JsonNode podSpec(JsonNode resource) {
        return switch (resource.path("kind").asText()) {
            case "Deployment", "StatefulSet", "Job", "DaemonSet" -> resource.path("spec").path("template").path("spec");
            case "CronJob" -> resource.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            default -> YAML.missingNode();
        };
    }

    /** Variables a Deployment's container gets: its env entries and the keys of the ConfigMaps it imports. */
    static Set<String> kubernetesEnvNames(Rendering r, String service) {
        JsonNode container = r.container("Deployment", service);
        Set<String> names = new LinkedHashSet<>();
        container.path("env").forEach(e -> names.add(e.path("name").asText()));
        for (JsonNode from : container.path("envFrom")) {
            assertThat(from.has("secretRef"))
                    .as("%s %s: envFrom secretRef hides which variables it sets; use env with secretKeyRef",
                            r.name(), service)
                    .isFalse();
            String prefix = from.path("prefix").asText("");
            String configMap = from.path("configMapRef").path("name").asText();
            r.get("ConfigMap", configMap).path("data").fieldNames().forEachRemaining(k -> names.add(prefix + k));
        }
        return names;
    }

    /** "path:port" of an HTTP probe, the port resolved through the container's named ports. */
    static String probe(JsonNode container, String probe, Map<String, Integer> namedPorts) {
        JsonNode get = container.path(probe).path("httpGet");
        JsonNode port = get.path("port");
        int resolved = port.isInt() ? port.asInt() : namedPorts.getOrDefault(port.asText(), -1);
        return get.path("path").asText() + ":" + resolved;
    }

    static String repository(String image) {
        String withoutDigest = image.split("@", 2)[0];
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        String repository = colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
        return repository.replaceFirst("^(docker\\.io/)?(library/)?", "");
    }

    static String tag(String image) {
        String withoutDigest = image.split("@", 2)[0];
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(colon + 1) : "";
    }

    static boolean kubectlOnPath() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        System.err.println("DeploymentManifestsTest: kubectl is not on the PATH; checking the files of k8s/base "
                + "directly instead of the rendered overlays");
        return false;
    }

    static Rendering render(String overlay) throws IOException, InterruptedException {
        Path dir = root.resolve("k8s/overlays").resolve(overlay);
        Path stderr = Files.createTempFile("kustomize-" + overlay, ".log");
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString())
                    .redirectError(stderr.toFile())
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kubectl kustomize %s finished", overlay).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize %s: %s", overlay, Files.readString(stderr)).isZero();
            return new Rendering("overlays/" + overlay, readYamlDocuments(out));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    static Rendering readBaseFiles() throws IOException {
        List<JsonNode> resources = new ArrayList<>();
        for (Path file : yamlFiles(root.resolve("k8s/base"))) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                resources.addAll(readYamlDocuments(Files.readString(file)));
            }
        }
        return new Rendering("k8s/base files", resources);
    }

    static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    static List<JsonNode> readYamlDocuments(String text) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()) {
            if (doc != null && doc.isObject() && !doc.isEmpty()) {
                docs.add(doc);
            }
        }
        return docs;
    }
}
