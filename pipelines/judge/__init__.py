"""Conversation judges (signals, learned, optional LLM) behind one interface (no Dagster)."""
