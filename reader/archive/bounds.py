"""The bounds that keep search fast at a million articles: how many of the newest
articles an estimate counts in, how many matches are ranked, what a term must be to
weigh nothing. Read as `bounds.NAME` where they are used, so that a test can lower
them for a small archive in one place.

Measured on generated archives (bench/search.py, README "Performance"): ranking every
match with bm25 costs ~1-3 us a match, plus one pass over each phrase's whole doclist
(bm25 counts the documents that hold it), so a common word took 0.4 s at 100,000
articles and grew with the archive. These bound it:
- SAMPLE: the newest articles an estimate counts matches in (FTS5 seeks by rowid).
- RANK_ALL: a query estimated to match no more than this many articles ranks every
  match with bm25 (the plan as it was).
- RANK_NEWEST: past that, bm25 ranks the newest RANK_NEWEST matches and the older
  ones that hold a ranked term in their title, byline, site or tags (at most
  RANK_NEWEST of those): what a full ranking puts first, since those columns weigh
  2 to 10 times the text. The other older matches follow newest first. What it costs
  in ranking quality: bench/search.py's overlap@10 with full bm25 (at 250,000
  articles, 1.00 for one word, two words and words from texts with 2,000 as with
  5,000; 0.96 for two words with 1,000), and bm25 costs ~2 us a ranked match.
- COMMON_SHARE: a term found in more than this share of the sample is left out of
  ranking: bm25 gives a term in half the archive or more no weight (its idf is
  clamped to 1e-6), and its doclist is the longest to count.
"""

SAMPLE = 2000
RANK_ALL = 5000
RANK_NEWEST = 2000
COMMON_SHARE = 0.5
# The runs of ids, spread over the archive, in which an estimate measures the share of
# articles a query's dates pass (SAMPLE articles in all).
STRATA = 20
# What a listing of a common query costs (ms), an article walked and asked of the FTS
# index, and a match listed once (bench/search.py, word sort:added, 250,000 articles).
PROBE_COST = 0.07
SET_COST = 0.00015
# A page of a listing of a prefix FTS5 expands (sort:added) is found in batches of the
# order's index, each batch's matches in one walk of the FTS index over its ids
# (PlannedSql._batched_rows): for the first BATCHED_MOST rows, in batches of
# BATCH_LEAST to BATCH_MOST articles, while a batch's ids span no more than
# SPAN_MOST times as many ids as it holds (an order that follows ids), and in
# BATCHES_MOST batches at most (the estimate of the matches sizes them).
BATCHED_MOST = 1000
BATCHES_MOST = 4
BATCH_LEAST = 200
BATCH_MOST = 20_000
SPAN_MOST = 8
