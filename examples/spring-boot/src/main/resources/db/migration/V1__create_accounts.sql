-- Accounts, signed up twice with the same e-mail address before anything prevented it, and their invoices.
-- Portable SQL: H2, PostgreSQL and MariaDB run this file as it is.
CREATE TABLE account (
    id INT PRIMARY KEY,
    email VARCHAR(200) NOT NULL,
    created_on DATE NOT NULL
);
CREATE TABLE invoice (
    id INT PRIMARY KEY,
    account_id INT NOT NULL,
    amount_cents INT NOT NULL,
    CONSTRAINT fk_invoice_account FOREIGN KEY (account_id) REFERENCES account (id)
);
INSERT INTO account (id, email, created_on) VALUES
    (1, 'ann@example.org', DATE '2024-01-05'),
    (2, 'bob@example.org', DATE '2024-01-06'),
    (3, 'ann@example.org', DATE '2024-02-11'),
    (4, 'cy@example.org', DATE '2024-03-01'),
    (5, 'bob@example.org', DATE '2024-01-02'),
    (6, 'ann@example.org', DATE '2024-04-20');
INSERT INTO invoice (id, account_id, amount_cents) VALUES
    (10, 1, 1200),
    (11, 3, 900),
    (12, 2, 4000),
    (13, 6, 150),
    (14, 4, 700),
    (15, 2, 2500);
