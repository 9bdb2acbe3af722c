-- Views of the bemserver-demo schema at head (revision 7).
CREATE VIEW campaign_summaries AS
    SELECT c.id AS campaign_id,
           c.name AS campaign_name,
           count(DISTINCT s.id) AS sites,
           count(DISTINCT t.id) AS timeseries
      FROM campaigns c
      LEFT JOIN sites s ON s.campaign_id = c.id
      LEFT JOIN timeseries t ON t.campaign_id = c.id
     GROUP BY c.id, c.name;
