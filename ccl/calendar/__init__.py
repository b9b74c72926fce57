"""The PRC working-day calendar (工作日历): official schedules, estimates and administrator overrides."""
