"""Budget rounds in which residents propose projects and vote; results counted with the Method of Equal Shares (engine: mobilise.engines.budgeting)."""
