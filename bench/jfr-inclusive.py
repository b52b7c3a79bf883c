import sys, re, collections
path, tfilter = sys.argv[1], sys.argv[2]
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
txt = open(path).read()
samples = txt.split('jdk.ExecutionSample {')[1:]
incl = collections.Counter(); selfc = collections.Counter(); n = 0
for s in samples:
    m = re.search(r'sampledThread = "([^"]*)"', s)
    t = m.group(1) if m else '?'
    if tfilter not in t: continue
    n += 1
    body = s.split('stackTrace = [')[1].split('\n  ]')[0]
    frames = [re.sub(r'\s+line:.*', '', f.strip()) for f in body.split('\n')]
    frames = [f for f in frames if f and f != '...']
    if frames: selfc[frames[0]] += 1
    for f in set(frames): incl[f] += 1
print('samples in', tfilter, n)
print('--- inclusive')
for f, c in incl.most_common(top): print(f'{100*c/n:5.1f}% {c:5d} {f}')
print('--- self')
for f, c in selfc.most_common(20): print(f'{100*c/n:5.1f}% {c:5d} {f}')
