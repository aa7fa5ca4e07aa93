package dev.finetune.lm.training;

import ai.djl.training.tracker.Tracker;

/**
 * Feeds {@link LearningRateSchedule} to DJL's optimizer, which counts updates from 1 while the schedule counts
 * steps from 0.
 */
final class ScheduleTracker implements Tracker {

    private final LearningRateSchedule schedule;

    ScheduleTracker(LearningRateSchedule schedule) {
        this.schedule = schedule;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) schedule.at(Math.max(0, numUpdate - 1));
    }
}
