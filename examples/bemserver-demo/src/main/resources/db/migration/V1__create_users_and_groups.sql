-- Users and the groups that give them access to campaigns.
CREATE TABLE users (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    email varchar(80) NOT NULL,
    password varchar(200) NOT NULL,
    is_admin boolean NOT NULL DEFAULT false,
    is_active boolean NOT NULL DEFAULT true,
    CONSTRAINT pk_users PRIMARY KEY (id),
    CONSTRAINT uq_users_email UNIQUE (email)
);

CREATE TABLE user_groups (
    id serial NOT NULL,
    name varchar(80) NOT NULL,
    CONSTRAINT pk_user_groups PRIMARY KEY (id),
    CONSTRAINT uq_user_groups_name UNIQUE (name)
);

CREATE TABLE users_by_user_groups (
    id serial NOT NULL,
    user_id integer NOT NULL,
    user_group_id integer NOT NULL,
    CONSTRAINT pk_users_by_user_groups PRIMARY KEY (id),
    CONSTRAINT uq_users_by_user_groups_user_id_user_group_id UNIQUE (user_id, user_group_id),
    CONSTRAINT fk_users_by_user_groups_user_id_users FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_users_by_user_groups_user_group_id_user_groups FOREIGN KEY (user_group_id)
        REFERENCES user_groups (id) ON DELETE CASCADE
);
