package dev.finetune.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one Quarkus test resource of the platform: real servers for a {@code @QuarkusTest}, and the
 * configuration that points the service at them. Use it per test class with
 * {@code @WithTestResource(RealServersResource.class)}; choose servers with the init argument
 * {@code servers} ({@code "kafka,s3,postgres"}, the default) and optionally force {@code mode}
 * ({@code auto}, {@code containers} or {@code embedded}). Tests reach the servers through {@link RealServers#current()}.
 */
public class RealServersResource implements QuarkusTestResourceLifecycleManager {

    public static final String SERVERS = "servers";
    public static final String MODE = "mode";

    private Set<RealServers.Server> servers = Set.of(RealServers.Server.values());
    private RealServers.Mode mode = RealServers.Mode.AUTO;
    private RealServers running;

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
        return running.configOverrides();
    }

    @Override
    public void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }
}
