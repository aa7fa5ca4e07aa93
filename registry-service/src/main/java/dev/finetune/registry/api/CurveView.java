package dev.finetune.registry.api;

import dev.finetune.contracts.events.TrainingProgress;
import dev.finetune.registry.domain.CurvePoint;
import java.util.List;

/** A job's training curves: every progress snapshot by step, and their summary. */
public record CurveView(String jobId, Summary summary, List<Point> points) {

    /** One snapshot; {@code validationLoss} only at the steps where validation ran. */
    public record Point(int step, int totalSteps, int epoch, double trainLoss, Double validationLoss,
                        double learningRate, double tokensPerSecond) {

        static Point of(CurvePoint p) {
            return new Point(p.step, p.totalSteps, p.epoch, p.trainLoss, p.validationLoss, p.learningRate,
                    p.tokensPerSecond);
        }

        static Point of(TrainingProgress p) {
            return new Point(p.step(), p.totalSteps(), p.epoch(), p.trainLoss(), p.validationLoss(),
                    p.learningRate(), p.tokensPerSecond());
        }
    }

    /**
     * What a curve says at a glance: how far training went, where the training loss started and ended, the best
     * validation loss and the step that reached it (after which more steps overfit), and the mean throughput.
     */
    public record Summary(int points, Integer lastStep, Integer totalSteps, Double firstTrainLoss,
                          Double lastTrainLoss, Double bestValidationLoss, Integer bestValidationStep,
                          Double meanTokensPerSecond) {

        public static Summary of(List<CurvePoint> points) {
            if (points.isEmpty()) {
                return new Summary(0, null, null, null, null, null, null, null);
            }
            CurvePoint first = points.get(0);
            CurvePoint last = points.get(points.size() - 1);
            CurvePoint best = null;
            double throughput = 0;
            for (CurvePoint p : points) {
                throughput += p.tokensPerSecond;
                if (p.validationLoss != null && (best == null || p.validationLoss < best.validationLoss)) {
                    best = p;
                }
            }
            return new Summary(points.size(), last.step, last.totalSteps, first.trainLoss, last.trainLoss,
                    best == null ? null : best.validationLoss, best == null ? null : best.step,
                    throughput / points.size());
        }
    }

    public static CurveView of(String jobId) {
        List<CurvePoint> points = CurvePoint.of(jobId);
        return new CurveView(jobId, Summary.of(points), points.stream().map(Point::of).toList());
    }
}
