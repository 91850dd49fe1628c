"""The claim query of the task queue (``store.tasks``): which tasks a worker may lease now."""

from __future__ import annotations

from sqlalchemy import text

# Tasks of every workspace are claimed together; ordering keys and users are a workspace's own.
# Only the oldest unfinished task of an ordering key is eligible, so tasks of one thread run one
# at a time and in order; SKIP LOCKED lets many workers in many processes claim without blocking.
# Tasks of :per_user_kind are also capped per payload user_id: one is eligible only while that
# user's live-leased running ones plus its rank among that user's eligible ones stay within
# :per_user_limit, so one learner's flood of new threads cannot take every worker slot.
# (Two claims racing may both see the same running count; the cap holds per claim.)
# Tasks of the :urgent kinds (short Slack writes: an answer's post, a reaction) are claimed before
# the others, oldest first among themselves, so a ready answer does not queue behind other
# learners' model calls for a worker slot; each still waits for the earlier tasks of its thread.
# Tasks of a workspace the app was uninstalled from are never claimed: the uninstall cancels its
# open tasks, but some may be enqueued after it (a Slack retry of an event arriving late, a task
# that was running then storing its reply). Skipping them here, rather than refusing them at the
# ack, covers every way a task is enqueued; they wait, unsent, until the retention job cancels
# them (bot.workspaces.lifecycle). One primary-key probe of a small table per candidate.
CLAIM_SQL = text(
    """
    SELECT t.id FROM tasks t
    WHERE t.status IN ('pending', 'running')
      AND t.run_at <= :now
      AND (t.status = 'pending' OR t.locked_until < :now)
      AND NOT EXISTS (
        SELECT 1 FROM workspaces w
        WHERE w.team_id = t.team_id AND w.uninstalled_at IS NOT NULL
      )
      AND (CAST(:kinds AS text[]) IS NULL OR t.kind = ANY(CAST(:kinds AS text[])))
      AND NOT EXISTS (
        SELECT 1 FROM tasks e
        WHERE e.ordering_key = t.ordering_key AND e.team_id = t.team_id AND e.id < t.id
          AND e.status IN ('pending', 'running')
      )
      AND (
        CAST(:per_user_limit AS integer) IS NULL
        OR t.kind <> CAST(:per_user_kind AS text)
        OR t.id IN (
          SELECT ranked.id FROM (
            SELECT p.id, p.team_id, p.payload->>'user_id' AS user_id,
                   row_number() OVER (
                     PARTITION BY p.team_id, p.payload->>'user_id' ORDER BY p.run_at, p.id
                   ) AS rank
            FROM tasks p
            WHERE p.kind = CAST(:per_user_kind AS text)
              AND p.status IN ('pending', 'running')
              AND p.run_at <= :now
              AND (p.status = 'pending' OR p.locked_until < :now)
              AND NOT EXISTS (
                SELECT 1 FROM tasks e
                WHERE e.ordering_key = p.ordering_key AND e.team_id = p.team_id AND e.id < p.id
                  AND e.status IN ('pending', 'running')
              )
          ) ranked
          WHERE ranked.rank + (
            SELECT count(*) FROM tasks r
            WHERE r.kind = CAST(:per_user_kind AS text)
              AND r.status = 'running' AND r.locked_until >= :now
              AND r.team_id = ranked.team_id AND r.payload->>'user_id' = ranked.user_id
          ) <= CAST(:per_user_limit AS integer)
        )
      )
    ORDER BY coalesce(t.kind = ANY(CAST(:urgent AS text[])), false) DESC, t.run_at, t.id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
    """
)
