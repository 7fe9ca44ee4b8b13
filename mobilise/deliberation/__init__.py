"""Conversations in which residents and partners vote on short statements and add their own; the platform shows opinion groups and common ground (engine: mobilise.engines.opinion)."""
