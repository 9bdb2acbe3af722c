DROP TABLE user_groups_by_campaigns;
DROP TABLE campaigns;
