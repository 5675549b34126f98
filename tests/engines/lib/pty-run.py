#!/usr/bin/python3
"""pty-run.py [--input TEXT] CMD ARGS...: runs CMD on a new pseudo-terminal
(its stdin, stdout and stderr), as an interactive `-it` user would, writes
TEXT to it after a short pause, prints everything CMD wrote (CR LF turned
into LF) and exits with CMD's exit status (128+N for a signal). Gives up
after 60 s (exit 124)."""
import os, pty, select, sys, time

args = sys.argv[1:]
text = None
if len(args) >= 2 and args[0] == "--input":
    text = args[1].encode().decode("unicode_escape").encode()
    args = args[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
out = b""
start = time.time()
sent = text is None
while True:
    if not sent and time.time() - start > 1.5:
        os.write(fd, text)
        sent = True
    if time.time() - start > 60:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
        sys.exit(124)
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        out += data
    else:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            # drain what is left
            try:
                while select.select([fd], [], [], 0.2)[0]:
                    d = os.read(fd, 4096)
                    if not d:
                        break
                    out += d
            except OSError:
                pass
            break
else:
    pass
if "st" not in dir() or not done:
    _, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st))
