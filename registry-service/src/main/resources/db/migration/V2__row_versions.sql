-- Optimistic locking: consumers of different topics update one job's rows concurrently, and the loser of a
-- race must see the winner's change instead of overwriting it.
alter table training_job add column row_version bigint not null default 0;
alter table model_version add column row_version bigint not null default 0;
