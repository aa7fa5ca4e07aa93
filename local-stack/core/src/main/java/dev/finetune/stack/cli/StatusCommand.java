package dev.finetune.stack.cli;

import dev.finetune.stack.PlatformService;
import dev.finetune.stack.Ports;
import dev.finetune.stack.ProcessStats;
import dev.finetune.stack.ServiceProcess;
import dev.finetune.stack.StackConfig;
import dev.finetune.stack.StackState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Shows whether each server and service is up, on which port, with which pid, and its health. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows each server and service: up or down, port, pid, memory, health.",
                "Exit code 0 when everything answers, 1 otherwise."})
class StatusCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        StackConfig config = options.toConfig();
        Optional<StackState> state = StackState.read(config.stateFile());
        if (state.isPresent()) {
            StackState s = state.get();
            System.out.println("stack " + s.state() + " (supervisor pid " + s.supervisorPid()
                    + (s.supervisorAlive() ? ", alive" : ", not running") + "; data " + s.dataDir() + ")");
            if (s.message() != null) {
                System.out.println("  " + s.message());
            }
            config = StackControl.effective(config, s);
        } else {
            System.out.println("no stack recorded in " + config.stateFile() + "; checking the configured ports");
        }
        System.out.printf("%-18s %-5s %-6s %-8s %-8s %s%n", "NAME", "STATE", "PORT", "PID", "RSS", "HEALTH");
        boolean allUp = true;
        for (Row row : rows(config, state)) {
            boolean listening = Ports.isListening(row.port);
            boolean alive = row.pid > 0 && ProcessHandle.of(row.pid).map(ProcessHandle::isAlive).orElse(false);
            String health = row.healthUrl == null ? (listening ? "listening" : "closed")
                    : ServiceProcess.health(row.healthUrl);
            boolean up = listening && (row.healthUrl == null || health.equals("UP"));
            allUp &= up;
            System.out.printf("%-18s %-5s %-6d %-8s %-8s %s%n", row.name, up ? "up" : "down", row.port,
                    alive ? String.valueOf(row.pid) : "-", alive ? ProcessStats.rss(row.pid) : "-", health);
        }
        return allUp ? 0 : 1;
    }

    private record Row(String name, int port, long pid, String healthUrl) {
    }

    private static List<Row> rows(StackConfig c, Optional<StackState> state) {
        List<Row> rows = new ArrayList<>();
        rows.add(row(state, "kafka", c.kafkaPort(), null));
        rows.add(row(state, "s3", c.s3Port(), null));
        rows.add(row(state, "postgres", c.postgresPort(), null));
        for (PlatformService s : PlatformService.values()) {
            rows.add(row(state, s.moduleName(), s.port(c), "http://localhost:" + s.port(c) + "/q/health/ready"));
        }
        return rows;
    }

    private static Row row(Optional<StackState> state, String name, int port, String healthUrl) {
        long pid = state.flatMap(s -> s.component(name)).map(StackState.Component::pid).orElse(-1L);
        return new Row(name, port, pid, healthUrl);
    }
}
