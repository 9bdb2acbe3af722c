DROP TABLE users_by_user_groups;
DROP TABLE user_groups;
DROP TABLE users;
