"""Session services (no drawing): the draft kept after every change, and which open company is which saved client."""
