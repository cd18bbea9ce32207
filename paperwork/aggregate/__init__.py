"""The levers that add up: campaigns for many members (campaign.py), social-media post
drafts (social.py), statistics across cases (stats.py); the pool client joins them.
"""
