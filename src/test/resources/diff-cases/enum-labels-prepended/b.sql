CREATE TYPE mood AS ENUM ('angry', 'calm', 'sad', 'happy');
