"""Who people are: enrolment, trainers, roles and permissions, Slack profiles."""
