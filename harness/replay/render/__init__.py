"""How a replay is shown: the terminal report (`text`), its one-line-per-event form (`brief`), and JSON Lines
(`json`, one object per event meeting contracts/replay/report-event.json)."""
