package org.bemserver.schema.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bemserver.schema.migrate.SqlScript.Statement;

/**
 * Splits a script into its statements in a single pass over the text, by PostgreSQL's lexical
 * rules (see {@link SqlScript}); a tiny lexer, not a parser. The same pass writes each statement's
 * words ({@link Statement#words}): a script is read once, character by character, however many
 * checks then look at its statements.
 */
final class StatementSplitter {

    private final String text;
    private final List<Statement> statements = new ArrayList<>();
    private int position;
    private int line = 1;
    private int start = -1;
    private int startLine;
    /** Whether the word before was BEGIN, for BEGIN ATOMIC. */
    private boolean afterBegin;
    /** The first words of the statement, to tell a CREATE FUNCTION/PROCEDURE. */
    private final List<String> leadingWords = new ArrayList<>();
    /** Open parentheses: psql does not split inside them (CREATE RULE ... DO (a; b)). */
    private int parenDepth;
    /** Nesting inside BEGIN ATOMIC ... END: CASE and BEGIN open, END closes. */
    private int atomicDepth;
    /** The statement's words so far, before upper-casing: see {@link #appendWords}. */
    private final StringBuilder words = new StringBuilder();
    /** Whether whitespace or a comment came since the last character of {@link #words}. */
    private boolean gap;

    StatementSplitter(String text) {
        // A byte-order mark is not part of the SQL.
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    List<Statement> split() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '-' && peek(1) == '-') {
                skipLineComment();
                gap = true;
            } else if (c == '/' && peek(1) == '*') {
                skipBlockComment();
                gap = true;
            } else if (Character.isWhitespace(c)) {
                advance();
                gap = true;
            } else {
                markStart();
                int from = position;
                if (c == ';' && atomicDepth == 0 && parenDepth == 0) {
                    boolean ended = endStatement();
                    advance();
                    if (ended && statements.get(statements.size() - 1).isCopyFromStdin()) {
                        copyData();
                    }
                    continue;
                } else if (c == '(' || c == ')') {
                    parenDepth = Math.max(0, parenDepth + (c == '(' ? 1 : -1));
                    advance();
                } else if (c == '\'') {
                    boolean escapes = position > 0
                            && (text.charAt(position - 1) == 'E' || text.charAt(position - 1) == 'e')
                            && (position < 2 || !isWordChar(text.charAt(position - 2)));
                    skipQuoted('\'', escapes);
                } else if (c == '"') {
                    skipQuoted('"', false);
                } else if (c == '$' && dollarTag() != null) {
                    skipDollarQuoted(dollarTag());
                } else if (isWordStart(c)) {
                    word();
                } else {
                    advance();
                }
                appendWords(from, position);
            }
        }
        endStatement();
        return statements;
    }

    private void markStart() {
        if (start < 0) {
            start = position;
            startLine = line;
        }
    }

    /** Ends the statement; whether it was one (not empty). */
    private boolean endStatement() {
        boolean added = false;
        if (start >= 0) {
            String sql =
                    text.substring(start, Math.min(position, text.length())).strip();
            if (!sql.isEmpty() && !sql.equals(";")) {
                statements.add(new Statement(startLine, sql, words.toString().toUpperCase(Locale.ROOT)));
                added = true;
            }
        }
        start = -1;
        afterBegin = false;
        leadingWords.clear();
        parenDepth = 0;
        atomicDepth = 0;
        words.setLength(0);
        gap = false;
        return added;
    }

    /**
     * Reads what follows the {@code ;} of the {@code COPY ... FROM stdin} just ended into it, as
     * Flyway reads it: the rest of its line (which Flyway skips), then the data lines up to the
     * first that is {@code \.} once trimmed. They are no SQL: a name such as O'Brien would open a
     * quote that swallows the rest of the script. What psql would read otherwise is
     * {@link SqlScript#migrationProblem}'s business.
     */
    private void copyData() {
        int begin = position;
        int eol = text.indexOf('\n', position);
        position = eol < 0 ? text.length() : eol;
        while (position < text.length()) {
            advance(); // the line break
            int end = text.indexOf('\n', position);
            int rowEnd = end < 0 ? text.length() : end;
            boolean last = text.substring(position, rowEnd).strip().equals("\\.");
            position = rowEnd;
            if (last) {
                break;
            }
        }
        int index = statements.size() - 1;
        Statement copy = statements.get(index);
        statements.set(index, new Statement(copy.line(), copy.sql(), copy.words(), text.substring(begin, position)));
    }

    /**
     * Adds the text from {@code from} to {@code to} (a token, or the inside of quotes) to the
     * statement's words: whitespace runs and comments fold into one space, {@code (} has a space
     * before it and none after, {@code )} none before it and a space after.
     */
    private void appendWords(int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\u000B') {
                gap = true;
                continue;
            }
            int length = words.length();
            char last = length == 0 ? '(' : words.charAt(length - 1);
            if (c != ')' && last != '(' && (gap || c == '(' || last == ')')) {
                words.append(' ');
            }
            words.append(c);
            gap = false;
        }
    }

    private void word() {
        int begin = position;
        while (position < text.length() && isWordChar(text.charAt(position))) {
            position++;
        }
        // words are compared in place: most are neither kept nor one of the few looked for
        if (leadingWords.size() < 4) {
            leadingWords.add(text.substring(begin, position).toUpperCase(Locale.ROOT));
        }
        boolean begins = is(begin, "BEGIN");
        if (atomicDepth > 0) {
            if (begins || is(begin, "CASE")) {
                atomicDepth++;
            } else if (is(begin, "END")) {
                atomicDepth--;
            }
        } else if (afterBegin && is(begin, "ATOMIC") && parenDepth == 0 && isRoutine()) {
            atomicDepth = 1;
        }
        afterBegin = begins;
    }

    /** Whether the word from {@code begin} to {@link #position} is {@code upper}, in any case. */
    private boolean is(int begin, String upper) {
        return position - begin == upper.length() && text.regionMatches(true, begin, upper, 0, upper.length());
    }

    /** Whether the statement is CREATE [OR REPLACE] FUNCTION or PROCEDURE. */
    private boolean isRoutine() {
        List<String> words = leadingWords;
        int kind = words.size() > 2 && words.get(1).equals("OR") ? 3 : 1;
        return !words.isEmpty()
                && words.get(0).equals("CREATE")
                && words.size() > kind
                && (words.get(kind).equals("FUNCTION") || words.get(kind).equals("PROCEDURE"));
    }

    private void skipLineComment() {
        while (position < text.length() && text.charAt(position) != '\n') {
            position++;
        }
    }

    private void skipBlockComment() {
        int depth = 0;
        do {
            if (peek(0) == '/' && peek(1) == '*') {
                depth++;
                position += 2;
            } else if (peek(0) == '*' && peek(1) == '/') {
                depth--;
                position += 2;
            } else {
                advance();
            }
        } while (depth > 0 && position < text.length());
    }

    private void skipQuoted(char quote, boolean backslashEscapes) {
        advance();
        while (position < text.length()) {
            char c = text.charAt(position);
            if (backslashEscapes && c == '\\') {
                advance();
                advance();
            } else if (c == quote) {
                advance();
                if (peek(0) == quote) {
                    advance();
                } else {
                    return;
                }
            } else {
                advance();
            }
        }
    }

    /** The dollar-quote tag starting here ({@code $$} or {@code $name$}), or null ({@code $1}, {@code a$b}). */
    private String dollarTag() {
        if (position > 0 && isWordChar(text.charAt(position - 1))) {
            return null;
        }
        int end = position + 1;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        if (end < text.length()
                && text.charAt(end) == '$'
                && (end == position + 1 || !Character.isDigit(text.charAt(position + 1)))) {
            return text.substring(position, end + 1);
        }
        return null;
    }

    private void skipDollarQuoted(String tag) {
        int close = text.indexOf(tag, position + tag.length());
        int end = close < 0 ? text.length() : close + tag.length();
        while (position < end) {
            advance();
        }
    }

    private char peek(int offset) {
        int index = position + offset;
        return index < text.length() ? text.charAt(index) : '\0';
    }

    private void advance() {
        if (position < text.length() && text.charAt(position) == '\n') {
            line++;
        }
        position++;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
