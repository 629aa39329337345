"""The live meeting panel: who has the floor, the round, the hands, section timers."""
