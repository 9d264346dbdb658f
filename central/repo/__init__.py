"""Repository functions: each takes a Session, reads or writes, and leaves the commit to the
caller, so one HTTP request (a whole push batch) or one CLI command is one transaction.

They raise CentralError (stable code, one-line message) for what the caller did wrong.
"""
