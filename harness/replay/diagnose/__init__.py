"""What went wrong and how to fix it: the catalog of known problems (`catalog`), the diagnoses an event
supports before delivery (`event`), and those its deliveries support (`delivery`)."""
