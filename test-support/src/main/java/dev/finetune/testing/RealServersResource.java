package dev.finetune.testing;

import dev.finetune.contracts.security.Roles;
import dev.finetune.testing.security.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one Quarkus test resource of the platform: real servers for a {@code @QuarkusTest}, and the
 * configuration that points the service at them. Use it per test class with
 * {@code @WithTestResource(RealServersResource.class)}; choose servers with the init argument
 * {@code servers} ({@code "kafka,s3,postgres"}, the default) and optionally force {@code mode}
 * ({@code auto}, {@code containers} or {@code embedded}). Tests reach the servers through
 * {@link RealServers#current()}, and get a {@link KafkaCompanion} connected to the broker in a field annotated
 * {@code @InjectKafkaCompanion}. The service verifies bearer tokens from {@link TestTokens}.
 */
public class RealServersResource implements QuarkusTestResourceLifecycleManager {

    public static final String SERVERS = "servers";
    public static final String MODE = "mode";

    private Set<RealServers.Server> servers = Set.of(RealServers.Server.values());
    private RealServers.Mode mode = RealServers.Mode.AUTO;
    private RealServers running;
    private KafkaCompanion kafka;

    @Override
    public void init(Map<String, String> initArgs) {
        String list = initArgs.get(SERVERS);
        if (list != null && !list.isBlank()) {
            servers = RealServers.Server.parse(list);
        }
        String m = initArgs.get(MODE);
        if (m != null && !m.isBlank()) {
            mode = RealServers.Mode.valueOf(m.trim().toUpperCase(Locale.ROOT));
        }
    }

    @Override
    public Map<String, String> start() {
        running = RealServers.start(servers, mode);
        Map<String, String> config = new HashMap<>(running.configOverrides());
        // the service verifies tokens signed by this JVM's test keys (TestTokens)
        config.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyLocation());
        config.put("mp.jwt.verify.issuer", Roles.LOCAL_ISSUER);
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        if (running == null || !servers.contains(RealServers.Server.KAFKA)) {
            return;
        }
        if (kafka == null) {
            kafka = new KafkaCompanion(running.bootstrapServers());
        }
        testInjector.injectIntoFields(kafka,
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaCompanion.class, KafkaCompanion.class));
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (running != null) {
            running.close();
            running = null;
        }
    }
}
