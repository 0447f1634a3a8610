"""closedloop: trustworthy chatbot resolution metrics on a PII-safe pipeline."""
