"""The levers that add up: campaigns for many members, social posts, statistics."""
