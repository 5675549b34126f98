# unit tests (check)
