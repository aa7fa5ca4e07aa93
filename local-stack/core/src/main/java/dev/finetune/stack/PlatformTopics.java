package dev.finetune.stack;

import dev.finetune.contracts.events.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;

/** Creates the platform's topics and their dead-letter topics as {@link Topics} defines them. */
public final class PlatformTopics {

    private PlatformTopics() {
    }

    /** The topics to create: every topic of {@link Topics#ALL}, plus the DLQ of each consumed one. */
    public static List<NewTopic> newTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topics.Topic t : Topics.ALL) {
            topics.add(new NewTopic(t.name(), t.partitions(), (short) 1)
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(t.retention().toMillis()))));
            if (t.consumed()) {
                topics.add(new NewTopic(t.dlq(), t.dlqPartitions(), (short) 1)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                                String.valueOf(Topics.DLQ_RETENTION.toMillis()))));
            }
        }
        return topics;
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public static void ensure(Admin admin) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = newTopics().stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new StackException("cannot create the platform topics: " + e.getMessage(), e);
        }
    }

    /** Partition count of every existing platform topic, by name. */
    public static Map<String, Integer> partitions(Admin admin) {
        try {
            Map<String, TopicDescription> d = admin.describeTopics(Topics.allNames()).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            Map<String, Integer> result = new HashMap<>();
            d.forEach((name, description) -> result.put(name, description.partitions().size()));
            return result;
        } catch (Exception e) {
            throw new StackException("cannot describe the platform topics: " + e.getMessage(), e);
        }
    }
}
