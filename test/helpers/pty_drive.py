"""Drives a command in a real pseudo-terminal, as a person at a keyboard would.

Usage: pty_drive.py <steps.json> <cwd> -- cmd args...
steps.json is a list of {"expect": regex, "send": text}; each waits for the regex in the
screen output since the previous match, then types the text. Prints a JSON object with the
exit code and the whole transcript.
"""
import json
import os
import pty
import re
import select
import sys
import time

steps = json.load(open(sys.argv[1]))
cwd = sys.argv[2]
cmd = sys.argv[sys.argv.index("--") + 1 :]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")

pid, fd = pty.fork()
if pid == 0:
    os.chdir(cwd)
    os.environ["TERM"] = "xterm-256color"
    os.environ["COLUMNS"] = "120"
    os.environ["LINES"] = "40"
    os.execvp(cmd[0], cmd)

out = b""
seen = 0


def read_some(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out += data
    return True


failed = None
for step in steps:
    deadline = time.time() + step.get("timeout", 15)
    pattern = re.compile(step["expect"])
    while True:
        text = ANSI.sub("", out.decode("utf-8", "replace"))
        m = pattern.search(text, seen)
        if m:
            seen = m.end()
            break
        if time.time() > deadline or not read_some(0.2):
            if not m and time.time() > deadline:
                failed = step["expect"]
                break
    if failed:
        break
    time.sleep(step.get("delay", 0.05))
    os.write(fd, step["send"].encode())

deadline = time.time() + 20
while time.time() < deadline and read_some(0.2):
    pass
try:
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
except ChildProcessError:
    code = None
print(json.dumps({"code": code, "failed_at": failed, "transcript": ANSI.sub("", out.decode("utf-8", "replace"))}))
