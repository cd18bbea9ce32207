"""The levers that add up: campaigns for many members (campaign.py), social-media post
drafts (social.py), statistics across cases (stats.py), and the pool client.

``pool_client`` talks to a pool server (paperwork.pool), ``pool_events`` turns a
case's record into the anonymous events a pool counts, and ``pool_queue`` keeps
memberships and unsent events in pool.sqlite; these three use the standard library only.
"""
