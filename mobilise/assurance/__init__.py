"""Mission councils, delivery-confidence assessments, stocktake packs and the national roll-up: proportionate accountability."""
