"""OpenAI-compatible chat completions for optional LLM features (judge, FAQ drafts)."""
