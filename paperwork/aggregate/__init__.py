"""Pressure in aggregate: what many people's cases add up to.

``pool_client`` talks to a pool server (paperwork.pool), ``pool_events`` turns a
case's record into the anonymous events a pool counts, and ``pool_queue`` keeps
memberships and unsent events in pool.sqlite. Standard library only.
"""
