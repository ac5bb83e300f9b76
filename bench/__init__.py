"""Measurement commands: accuracy (evaluate), speed (speed), real images."""
