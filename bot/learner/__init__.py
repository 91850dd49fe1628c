"""A learner's DM, from its stored turn to a posted answer or an escalation; feedback."""
