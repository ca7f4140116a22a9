"""Classroom mode: live role-play of the models with a class, and its debrief."""
