"""Argon2 with a small cost, for the tests only: the same algorithm and hash format as
production (which keeps Django's defaults), a hundred times cheaper to compute."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1
