"""The LLM engine: endpoint settings, prompts, structured output with re-asks and retries, the call log."""
