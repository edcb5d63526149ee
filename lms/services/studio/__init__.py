"""The authoring studio: drafts in the modules/ folder format, publishing, history, exchange."""
