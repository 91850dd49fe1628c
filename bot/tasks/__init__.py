"""The durable task machinery: queue, worker, outbox for Slack writes, timer runner."""
