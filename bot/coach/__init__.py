"""The AI coach: retrieval, answering and the confidence it has in an answer."""
